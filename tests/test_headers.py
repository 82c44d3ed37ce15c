"""Security headers on every page (issue 9, point 8): the GET requests of the access walk, as an
operator and as an anonymous visitor, over HTTPS with the production HSTS setting.

portal/settings.py sets nosniff, `Referrer-Policy: same-origin`, `X-Frame-Options: DENY` and
django-csp 4's CONTENT_SECURITY_POLICY (with `frame-ancestors 'none'`); HSTS is on outside
DEBUG only, so it is switched on here as in production. Every response is checked, redirects,
refusals and file downloads included: the portal sends one policy for all of them.
"""

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.access_table import (
    ALLAUTH_PAGES,
    ROLES,
    build_world,
    drain,
    remove_files,
    requests_for,
)

HSTS_SECONDS = 31536000
# What the crawl must meet besides pages and API answers: the files the portal serves (photos,
# minutes and reports as PDF, calendars, spreadsheets, Open311 XML). They are no page to frame
# or to run scripts in, but they carry the same headers: one policy for every response, so a
# new download cannot slip out without them.
FILE_TYPES = {
    "image/jpeg",
    "application/pdf",
    "text/calendar",
    "text/csv",
    "text/xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@pytest.fixture
def world(request, area):
    users = {role: request.getfixturevalue(role) for role in ROLES if role != "anonymous"}
    built = build_world(area, users)
    yield built
    remove_files(built)


@pytest.fixture
def production_like(settings):
    settings.SECURE_HSTS_SECONDS = HSTS_SECONDS
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_SSL_REDIRECT = False


def allauth_pages() -> list[str]:
    """allauth's pages that take no URL argument: sign-in, sign-up, password reset, 2FA."""
    pages = []
    for name in sorted(ALLAUTH_PAGES):
        try:
            pages.append(reverse(name))
        except NoReverseMatch:  # needs a key or uid: not a page anyone lands on unasked
            continue
    return pages


def missing_headers(response) -> list[str]:
    hsts = response.get("Strict-Transport-Security", "")
    expected = {
        "Strict-Transport-Security": f"max-age={HSTS_SECONDS}" in hsts
        and "includeSubDomains" in hsts,
        "Content-Security-Policy with frame-ancestors 'none'": "frame-ancestors 'none'"
        in response.get("Content-Security-Policy", ""),
        "X-Content-Type-Options: nosniff": response.get("X-Content-Type-Options") == "nosniff",
        "Referrer-Policy: same-origin": response.get("Referrer-Policy") == "same-origin",
        "X-Frame-Options: DENY": response.get("X-Frame-Options") == "DENY",
    }
    return [name for name, present in expected.items() if not present]


@pytest.mark.parametrize("role", ["anonymous", "operator"])
def test_every_page_sends_the_security_headers(production_like, world, role):
    # A new client: SecurityMiddleware reads the HSTS setting when the client first loads it.
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(world.users[role])
    urls = [walked.url for walked in requests_for(world, methods=("GET",))]
    urls += [*allauth_pages(), reverse("admin:index")]
    assert len(urls) > 100
    failures = []
    kinds = set()
    for url in dict.fromkeys(urls):
        response = client.get(url, secure=True)
        kinds.add(response.get("Content-Type", "").split(";")[0])
        if response.status_code >= 500:
            failures.append(f"{url}: {response.status_code}")
        if missing := missing_headers(response):
            failures.append(f"{url} ({response.status_code}): missing {', '.join(missing)}")
        drain(response)
    assert not failures, f"{role}:\n" + "\n".join(failures)
    # The crawl reached pages, API answers and files, not only refusals.
    assert kinds >= {"text/html", "application/json"}
    if role == "operator":
        assert kinds >= FILE_TYPES, FILE_TYPES - kinds
