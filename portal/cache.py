"""The shared cache on Redis, which the portal can do without for a while.

The cache holds rate-limit counters (the portal's and allauth's) and nothing that is only
there: with Redis down, a read misses, a write is dropped and a counter starts again, so that
residents still file problems and officers still work (issue: nothing depends on the broker).
The limits are not enforced while Redis is away — a deliberate choice of availability over
throttling for the minutes of an outage — and every failure is logged.
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)


def _degraded(operation: str, fallback):
    def method(self, *args, **kwargs):
        try:
            return getattr(super(ResilientRedisCache, self), operation)(*args, **kwargs)
        except UNAVAILABLE as error:
            logger.warning("cache unavailable, %s skipped: %s", operation, error)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    method.__name__ = operation
    return method


class ResilientRedisCache(RedisCache):
    # A miss for reads; True for `add`, as if the key were new (a rate limit's first hit).
    get = _degraded("get", lambda key, default=None, version=None: default)
    get_many = _degraded("get_many", {})
    has_key = _degraded("has_key", False)
    add = _degraded("add", True)
    set = _degraded("set", None)
    set_many = _degraded("set_many", [])
    touch = _degraded("touch", False)
    delete = _degraded("delete", False)
    delete_many = _degraded("delete_many", None)
    incr = _degraded("incr", lambda key, delta=1, version=None: delta)
    decr = _degraded("decr", lambda key, delta=1, version=None: -delta)
    clear = _degraded("clear", None)
