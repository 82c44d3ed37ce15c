"""The portal serves its own assets, compressed and cache-busted: collectstatic with
whitenoise's compressed manifest storage (what production and the Docker image use), then the
files as a browser on a slow connection fetches them."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

MANIFEST = "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """Collected once for the module: compressing every file takes a while."""
    root = tmp_path_factory.mktemp("static")
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST}}
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


def test_pages_link_hashed_assets_served_compressed_with_a_long_cache_lifetime(collected, db):
    client = Client()  # a new handler: whitenoise reads the collected files at its start
    page = client.get(reverse("home")).content.decode()
    stylesheet = re.search(r'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the page links the cache-busted file name"
    response = client.get(stylesheet.group(1), HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] in {"br", "gzip"}
    cache = response["Cache-Control"]
    assert "immutable" in cache
    assert int(re.search(r"max-age=(\d+)", cache).group(1)) >= 365 * 24 * 3600
    assert list((collected / "css").glob("portal.*.css.br"))


def test_a_file_name_without_its_hash_is_not_cached_for_long(collected, db):
    response = Client().get("/static/css/portal.css")
    assert response.status_code == 200
    max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))
    assert max_age < 24 * 3600
