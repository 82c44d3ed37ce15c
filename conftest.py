"""Shared fixtures: one small territory and a standing user for every role.

The area: Polda → two Polres; the first Polres has two Polsek. `village` and `village_b` lie in
`polsek`; `village_elsewhere` in `polsek_other` (same Polres); `village_other_polres` under the
other Polres. Every permission test tries the roles below against these.
"""

import os
import socket
from dataclasses import dataclass
from urllib.parse import urlparse

import pytest

from accounts.models import User
from accounts.tests.factories import UserFactory
from officers.tests.factories import AssignmentFactory, OfficerFactory
from territory.models import PoliceUnit, Village
from territory.tests.factories import (
    DistrictFactory,
    PoldaFactory,
    PolresFactory,
    PolsekFactory,
    VillageFactory,
)

Role = User.Role


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str) -> None:
    """A missing service skips the test on a laptop and fails it in CI (REQUIRE_SERVICES=1)."""
    if services_required():
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


def redis_url_or_skip() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        skip_or_fail("REDIS_URL is not set")
    parsed = urlparse(url)
    try:
        socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=1).close()
    except OSError:
        skip_or_fail(f"Redis at {parsed.hostname}:{parsed.port} does not answer")
    return url


def pytest_collection_modifyitems(items):
    """Tests that drive Chromium or a real Celery worker wait on other processes: `make test`
    runs them after the parallel run, alone, with the tests that restart a service."""
    for item in items:
        if item.get_closest_marker("browser") or item.get_closest_marker("redis"):
            item.add_marker(pytest.mark.serial)


@pytest.fixture(scope="session", autouse=True)
def _redis_database_per_worker(worker_id):
    """Side by side (pytest -n), each worker keeps its cache in a Redis database of its own:
    every test empties the cache (FLUSHDB), which must not empty another worker's mid-test."""
    from django.conf import settings
    from django.test import override_settings

    cache = settings.CACHES["default"]
    url = urlparse(cache["LOCATION"]) if "redis" in cache["BACKEND"].lower() else None
    if worker_id == "master" or url is None or url.scheme not in ("redis", "rediss"):
        yield
        return
    # The databases after the one REDIS_URL names (Redis has 16, 0-15), never below it.
    database = int(url.path.strip("/") or 0) + 1 + int(worker_id.removeprefix("gw"))
    if database > 15:
        pytest.exit(
            f"{worker_id} would need Redis database {database}: use fewer workers, or a lower "
            "database in REDIS_URL"
        )
    with override_settings(
        CACHES={"default": {**cache, "LOCATION": url._replace(path=f"/{database}").geturl()}}
    ):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tests run tasks in-process even where REDIS_URL is set; the real-worker test in
    tests/test_celery_worker.py switches this off for itself."""
    from portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the portal's language, Indonesian: a request in English through the
    test client leaves English active in the test's thread (LocaleMiddleware activates it,
    nothing puts it back), and a later test on the same worker read English messages."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """allauth keeps its rate limits in the cache: one test's sign-ins must not limit the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _categories(request):
    """Tests that flush the database (transaction=True, live server) lose the categories and
    crime types the migrations seeded: put them back."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        from issues.categories import seed_categories
        from issues.models import Category

        request.getfixturevalue("transactional_db")
        seed_categories(Category)
        _seed_crime_types()


def _seed_crime_types() -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("metrics.migrations.0002_crime_types")
    migration.seed(apps, None)


@dataclass
class Area:
    polda: PoliceUnit
    polres: PoliceUnit
    polres_other: PoliceUnit
    polsek: PoliceUnit
    polsek_other: PoliceUnit
    village: Village
    village_b: Village
    village_elsewhere: Village
    village_other_polres: Village


@pytest.fixture
def area(db) -> Area:
    polda = PoldaFactory(code="POLDA-32", name="Polda Jawa Barat")
    polres = PolresFactory(code="POLRES-32.04", name="Polres Kab. Bandung", parent=polda)
    polres_other = PolresFactory(code="POLRES-32.73", name="Polres Kota Bandung", parent=polda)
    polsek = PolsekFactory(code="POLSEK-32.04.05", name="Polsek Cileunyi", parent=polres)
    polsek_other = PolsekFactory(code="POLSEK-32.04.06", name="Polsek Cimenyan", parent=polres)
    polsek_city = PolsekFactory(code="POLSEK-32.73.01", name="Polsek Sukasari", parent=polres_other)
    district = DistrictFactory(code="32.04.05", name="Cileunyi")
    district_other = DistrictFactory(code="32.04.06", name="Cimenyan", regency=district.regency)
    district_city = DistrictFactory(code="32.73.01", name="Sukasari")
    return Area(
        polda=polda,
        polres=polres,
        polres_other=polres_other,
        polsek=polsek,
        polsek_other=polsek_other,
        village=VillageFactory(
            code="32.04.05.2001", name="Cileunyi Kulon", district=district, polsek=polsek
        ),
        village_b=VillageFactory(
            code="32.04.05.2002", name="Cileunyi Wetan", district=district, polsek=polsek
        ),
        village_elsewhere=VillageFactory(
            code="32.04.06.2001", name="Mekarsaluyu", district=district_other, polsek=polsek_other
        ),
        village_other_polres=VillageFactory(
            code="32.73.01.1001",
            name="Gegerkalong",
            kind=Village.Kind.KELURAHAN,
            district=district_city,
            polsek=polsek_city,
        ),
    )


def _police(role: str, unit: PoliceUnit, **user_fields) -> User:
    return OfficerFactory(user__role=role, unit=unit, **user_fields).user


@pytest.fixture
def resident(area) -> User:
    return UserFactory(email="resident@example.org", village=area.village)


@pytest.fixture
def other_resident(area) -> User:
    return UserFactory(email="other.resident@example.org", village=area.village_b)


@pytest.fixture
def officer(area) -> User:
    user = _police(Role.OFFICER, area.polsek, user__email="officer@example.org")
    AssignmentFactory(officer=user.officer, village=area.village)
    return user


@pytest.fixture
def officer_elsewhere(area) -> User:
    user = _police(Role.OFFICER, area.polsek_other, user__email="officer.elsewhere@example.org")
    AssignmentFactory(officer=user.officer, village=area.village_elsewhere)
    return user


@pytest.fixture
def kapolsek(area) -> User:
    return _police(Role.KAPOLSEK, area.polsek, user__email="kapolsek@example.org")


@pytest.fixture
def polres_commander(area) -> User:
    return _police(Role.POLRES_COMMANDER, area.polres, user__email="kapolres@example.org")


@pytest.fixture
def other_polres_commander(area) -> User:
    return _police(Role.POLRES_COMMANDER, area.polres_other, user__email="kapolres2@example.org")


@pytest.fixture
def polda_viewer(area) -> User:
    return _police(Role.POLDA_VIEWER, area.polda, user__email="polda@example.org")


@pytest.fixture
def operator(db) -> User:
    return UserFactory(email="operator@example.org", role=Role.OPERATOR, is_staff=True)
