"""The access-control walk (issue 9, point 4): every URL pattern of the portal, tried as every
role against one fixture world, answers as `tests/access_table.py` says.

Each role's test builds the world once and sends one request per case; each request runs in a
savepoint that is rolled back, so an allowed POST cannot change what the next request sees. A
refused POST must leave every row of the portal's apps as it was. On top of the status, no
page or endpoint may show the private problem (or its reporter's name) to a role outside its
readers.
"""

import json
from urllib.parse import urlparse

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from tests.access_table import (
    ALLAUTH_PAGES,
    AREA_READERS,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    PRIVATE_READERS,
    REDIRECTED,
    REFUSED_400,
    REPORTER_READERS,
    ROLES,
    SECRET_MINUTES,
    SECRET_REPORTER,
    SECRET_TITLE,
    TABLE,
    UNAUTHORIZED,
    build_world,
    drain,
    remove_files,
    requests_for,
    url_patterns,
)

# The apps whose rows a refused request must leave alone (allauth's e-mail addresses and
# authenticators, DRF's tokens included).
WATCHED_APPS = [
    "accounts",
    "territory",
    "officers",
    "forums",
    "issues",
    "metrics",
    "portal",
    "account",
    "mfa",
    "authtoken",
]


@pytest.fixture
def world(request, area):
    users = {role: request.getfixturevalue(role) for role in ROLES if role != "anonymous"}
    built = build_world(area, users)
    yield built
    remove_files(built)


def watched_models():
    for label in WATCHED_APPS:
        try:
            yield from apps.get_app_config(label).get_models()
        except LookupError:  # not installed
            continue


def fingerprint() -> dict:
    """Every row of the watched apps. An audit trail of refused requests (issue 9, point 6)
    is meant to grow, so models named like one are left out."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values_list())
        for model in watched_models()
        if "audit" not in model._meta.label_lower
    }


def is_sign_in(response) -> bool:
    if response.status_code != 302:
        return False
    path = urlparse(response["Location"]).path
    return path in {reverse("account_login"), reverse("admin:login")}


def matches(outcome: str, response, method: str) -> bool:
    status = response.status_code
    if outcome == OK:
        passed = 200 <= status < 400 and not is_sign_in(response)
        # An allowed POST with empty data may be refused as invalid.
        return passed or (method != "GET" and status in (400, 409))
    if outcome == LOGIN:
        return is_sign_in(response)
    if outcome == REDIRECTED:
        return status == 302 and not is_sign_in(response)
    expected = {NOT_FOUND: 404, FORBIDDEN: 403, UNAUTHORIZED: 401, REFUSED_400: 400}[outcome]
    return status == expected


def send(client, method: str, url: str, data: dict):
    if method == "GET":
        return client.get(url)
    if method == "POST":
        return client.post(url, data)
    return client.generic(method, url, json.dumps(data), content_type="application/json")


def leaks(role: str, case, response, world) -> list[str]:
    """The private problem's title and reporter, and the forum's internal minutes, where the
    role may not read them."""
    if response.streaming or case.reveals_private:
        return []
    body = response.content.decode(errors="replace")
    found = []
    if role not in PRIVATE_READERS and SECRET_TITLE in body:
        found.append("shows the private problem")
    if role not in REPORTER_READERS | {"other_resident"}:
        # Who reported it: the account's e-mail address (its name is a plain factory name)
        # and the contact name typed into the report.
        reporter = world.users["other_resident"].email
        if reporter in body or SECRET_REPORTER in body:
            found.append("shows the private problem's reporter")
    if role not in AREA_READERS and SECRET_MINUTES in body:
        found.append("shows the forum's internal minutes")
    return found


def test_every_url_pattern_has_an_entry_in_the_table():
    """A new URL without an entry fails here: decide who may reach it, then add it."""
    found = set(url_patterns())
    missing = sorted(found - TABLE.keys() - ALLAUTH_PAGES)
    assert not missing, f"URL patterns with no entry in tests/access_table.py: {missing}"
    stale = sorted((TABLE.keys() | ALLAUTH_PAGES) - found)
    assert not stale, f"Entries for URL patterns that no longer exist: {stale}"


def test_the_walk_covers_every_method_the_table_names(world):
    walked = requests_for(world)
    assert {r.key for r in walked} == set(TABLE)
    assert len(walked) > len(TABLE)  # the API's format-suffix variants and the extra cases


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_what_the_table_allows(client, request, world, role):
    client.raise_request_exception = False  # a 500 is a failure of the walk, not of the test
    if role != "anonymous":
        client.force_login(world.users[role])
    failures = []
    for walked in requests_for(world):
        case = walked.case
        outcome = case.outcome(role)
        refused = outcome != OK
        cache.clear()  # rate limits and API throttles count per test, not per walk
        with transaction.atomic():
            before = fingerprint() if refused and case.method != "GET" else None
            response = send(client, case.method, walked.url, case.data(world))
            changed = before is not None and fingerprint() != before
            transaction.set_rollback(True)
        where = f"{case.method} {walked.url} [{walked.key}]"
        if not matches(outcome, response, case.method):
            got = f"{response.status_code} {response.get('Location', '')}".strip()
            failures.append(f"{where}: expected {outcome}, got {got}")
        if changed:
            failures.append(f"{where}: refused, yet the database changed")
        failures += [f"{where}: {leak}" for leak in leaks(role, case, response, world)]
        drain(response)
    assert not failures, f"{role}:\n" + "\n".join(failures)


@pytest.mark.parametrize("role", ROLES)
def test_only_operators_get_into_the_admin(client, request, area, role):
    """Django admin's own URLs are out of the walk: checked here on its index and on the
    problems' list, the most sensitive of its pages."""
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    for url in (reverse("admin:index"), reverse("admin:issues_problem_changelist")):
        response = client.get(url)
        if role == "operator":
            assert response.status_code == 200, url
        else:
            assert is_sign_in(response), (url, response.status_code)


def test_api_actions_accept_the_format_suffix(client, world):
    client.raise_request_exception = False
    client.force_login(world.users["officer"])
    kwargs = {
        "api:problem-transition": {"reference": world.private_problem.reference},
        "api:meeting-cancel": {"pk": world.planned_meeting.pk},
        "api:meeting-record": {"pk": world.held_meeting.pk},
    }
    for name, url_kwargs in kwargs.items():
        response = client.post(reverse(name, kwargs={**url_kwargs, "format": "json"}), {})
        assert response.status_code == 400, name  # invalid empty data, as without the suffix
