"""Playwright driving Debian's Chromium against the live test server.

Playwright cannot download its own browser here: it launches /usr/bin/chromium (or
$CHROMIUM_PATH) with flags that keep it off the network.

Every journey runs on a phone and a desktop, in Indonesian (the default) and in English (chosen
before the first page through the language cookie, as the header switch leaves it; one test in
test_foundation_journeys.py proves the switch itself). A test narrows either dimension with
`@pytest.mark.parametrize("language", ["id"])`, and gives its browser extra options (no
JavaScript, a location) by parametrizing `context_options`.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.db import connections
from PIL import Image

from conftest import skip_or_fail
from tests.browser.helpers import Wording, open_page

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def chromium():
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        skip_or_fail("Chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("playwright is not installed")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself are still synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
            try:
                yield browser
                browser.close()
            finally:
                # While that loop runs, Django keeps this thread's connections apart from the
                # ones it had before (asgiref's Local switches to context-local storage), so
                # every test from the first browser test on uses a connection Django's own
                # teardown no longer sees once the loop has stopped: it then cannot drop the
                # test database ("1 other session"). Close them while they are still visible.
                connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(params=["id", "en"])
def language(request) -> str:
    return request.param


@pytest.fixture
def context_options() -> dict:
    return {}


@pytest.fixture(params=["phone", "desktop"])
def page(request, chromium, live_server, language, context_options):
    page = open_page(
        chromium, live_server.url, language=language, viewport=request.param, **context_options
    )
    yield page
    page.context.close()


@pytest.fixture
def other_page(chromium, page):
    """A second person's browser (e.g. the officer's, beside the resident's) of the same kind
    and language as `page`."""
    other = open_page(chromium, page.base_url, language=page.language, viewport=page.viewport_name)
    yield other
    other.context.close()


@pytest.fixture
def t(page) -> Wording:
    return page.t


@pytest.fixture
def photo_path(tmp_path) -> Path:
    path = tmp_path / "motor.jpg"
    Image.new("RGB", (640, 480), (120, 160, 200)).save(path, "JPEG")
    return path
