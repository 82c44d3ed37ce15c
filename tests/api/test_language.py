"""The API speaks the caller's language: the cookie, or for an app the Accept-Language header;
never an English line of Django's or DRF's naming a model."""

import pytest

from portal.tests.api_client import client_for


@pytest.mark.parametrize(
    ("header", "not_found", "bad_page"),
    [
        ("", "Tidak ditemukan.", "Halaman tidak valid."),
        ("id", "Tidak ditemukan.", "Halaman tidak valid."),
        ("en-US,en;q=0.9", "Not found.", "Invalid page."),
    ],
)
def test_errors_are_in_the_language_the_caller_asks_for(area, header, not_found, bad_page):
    client = client_for()
    extra = {"HTTP_ACCEPT_LANGUAGE": header} if header else {}
    missing = client.get("/api/v1/problems/KMT-2026-999999/", **extra)
    assert missing.status_code == 404
    assert missing.json() == {"detail": not_found}
    page = client.get("/api/v1/problems/", {"page": "abc"}, **extra)
    assert page.status_code == 404 and page.json() == {"detail": bad_page}


def test_the_cookie_wins_over_the_header(area):
    client = client_for(language="id")
    missing = client.get("/api/v1/desa/99.99.99.9999/", HTTP_ACCEPT_LANGUAGE="en")
    assert missing.json() == {"detail": "Tidak ditemukan."}


def test_web_pages_still_ignore_the_header(client, db):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="id">' in page
