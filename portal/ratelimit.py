"""Fixed-window rate limits kept in the shared cache (Redis in production).

Written here rather than taken from django-ratelimit: that package's system checks reject
Django's own Redis cache backend and the in-memory cache a laptop uses, and the portal needs
only "N actions per period per IP and per account".
"""

import time

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    """The client's address. Behind TRUSTED_PROXIES proxies, the address the nearest of them
    saw; never a value the client could forge by sending its own X-Forwarded-For."""
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _hit(key: str, *, limit: int, period: int) -> bool:
    window = int(time.time() // period)
    cache_key = f"ratelimit:{key}:{window}"
    if cache.add(cache_key, 1, timeout=period + 1):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=period + 1)
        count = 1
    return count <= limit


def allow(
    request, *, action: str, per_ip: tuple[int, int] | None, per_user: tuple[int, int]
) -> bool:
    """Count one `action` for the request's IP address and, when signed in, its account.
    `per_ip` and `per_user` are (limit, period in seconds); `per_ip` None counts the account
    alone. False when either is exceeded."""
    ip_ok = True
    if per_ip is not None:
        ip_ok = _hit(f"{action}:ip:{client_ip(request)}", limit=per_ip[0], period=per_ip[1])
    user_ok = True
    if request.user.is_authenticated:
        user_ok = _hit(f"{action}:user:{request.user.pk}", limit=per_user[0], period=per_user[1])
    return ip_ok and user_ok
