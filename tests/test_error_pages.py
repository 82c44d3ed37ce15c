"""Error pages are the portal's own, with its header and in the visitor's language: Django's
bare English "Not Found" told a resident nothing about where to go next."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def test_a_resident_opening_an_officer_page_gets_the_portals_404_page(client, resident):
    client.force_login(resident)
    response = client.get(reverse("officers:visits"))
    assert response.status_code == 404
    page = response.content.decode()
    assert 'class="brand"' in page and '<header class="site-header' in page
    assert reverse("landing") in page
    assert "The requested resource was not found" not in page
    with translation.override("id"):
        assert (
            translation.gettext("This page does not exist, or it is not open to your account.")
            in page
        )


def test_an_anonymous_visitor_gets_the_404_page_with_a_way_home(client, db):
    response = client.get("/desa/99.99.99.9999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert '<header class="site-header' in page
    assert f'href="{reverse("home")}"' in page


def test_an_officer_refused_withdrawal_gets_the_portals_403_page(client, officer):
    client.force_login(officer)
    response = client.get(reverse("accounts:withdraw"))
    assert response.status_code == 403
    page = response.content.decode()
    assert '<header class="site-header' in page
    assert reverse("landing") in page
    with translation.override("id"):
        assert translation.gettext("Your account may not open this page.") in page


def test_the_500_page_renders_without_a_request():
    # Django's server_error renders it with no context at all.
    with translation.override("id"):
        page = render_to_string("500.html")
    assert 'lang="id"' in page
    assert "110" in page


def test_the_500_page_renders_when_the_static_manifest_cannot_help(settings, tmp_path):
    # A deploy whose collectstatic did not run (or missed a file) fails every page on its
    # manifest lookup; the page that reports the failure must not make the same lookup.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    page = render_to_string("500.html")
    assert 'href="/static/css/portal.css"' in page
