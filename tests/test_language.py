"""Bahasa Indonesia by default, English one click away and remembered; times in the unit's zone."""

import datetime
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from portal.management.commands.check_translations import catalogue_problems

PO_PATH = Path(settings.LOCALE_PATHS[0]) / "id" / "LC_MESSAGES" / "django.po"


def test_home_page_speaks_indonesian_by_default(client, db):
    page = client.get("/").content.decode()
    assert '<html lang="id">' in page
    assert "Cari desa Anda" in page
    assert "Telepon <strong>110</strong>" in page


def test_english_is_one_click_away_and_remembered(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Find your desa" in page
    assert "Call <strong>110</strong>" in page


def test_a_browser_asking_for_english_still_can_switch_back(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    assert '<html lang="id">' in client.get("/").content.decode()


def test_indonesian_catalogue_is_complete():
    assert catalogue_problems(PO_PATH) == []


def test_compiled_catalogue_matches_the_source():
    import polib

    source = {
        e.msgid: e.msgstr
        for e in polib.pofile(str(PO_PATH))
        if e.msgid and not e.obsolete and not e.msgid_plural
    }
    compiled = {
        e.msgid: e.msgstr
        for e in polib.mofile(str(PO_PATH.with_suffix(".mo")))
        if e.msgid and not e.msgid_plural
    }
    assert compiled == source, "run `make messages` to compile the catalogue"


def test_times_are_shown_in_wita_for_a_unit_in_bali(client, area, kapolsek):
    area.polsek.timezone = "Asia/Makassar"
    area.polsek.save()
    client.force_login(kapolsek)
    page = client.get(reverse("landing")).content.decode()
    assert "WITA" in page


def test_times_are_stored_in_utc(settings):
    assert settings.USE_TZ is True
    moment = datetime.datetime(2026, 1, 1, 12, 0, tzinfo=datetime.UTC)
    with timezone.override("Asia/Jayapura"), translation.override("id"):
        assert timezone.localtime(moment).hour == 21


def test_a_phone_set_to_english_still_gets_indonesian_until_the_switch(client, db):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="id">' in page
