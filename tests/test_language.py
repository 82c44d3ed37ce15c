"""Bahasa Indonesia by default, English one click away and remembered; "kata sandi", "e-mail" and
"setel ulang" throughout; times in the unit's zone."""

import datetime
import re
from pathlib import Path

import allauth
import django
import pytest
import rest_framework
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from portal.management.commands.check_translations import catalogue_problems

PO_PATH = Path(settings.LOCALE_PATHS[0]) / "id" / "LC_MESSAGES" / "django.po"
# "Sandi" on its own, or "Kata Sandi" in title case: the portal writes "kata sandi" / "Kata sandi"
# (Django's own catalogue mixes "sandi" in; templates/translation_overrides.txt lists the fixes).
NOT_KATA_SANDI = re.compile(r"(?<![Kk]ata )\b[Ss]andi|\b[Kk]ata Sandi")
# "Email" or "reset" in Indonesian text, where the portal writes "e-mail" and "setel ulang"; not a
# placeholder's name ("%(email)s", "{email}"), a scope ("(ENTER)email") or a column's (">Email<").
NOT_E_MAIL = re.compile(r"(?<![{(>)])\b[Ee]mail\b|\b[Rr]eset")
NOT_PORTAL_WORDING = re.compile(f"{NOT_KATA_SANDI.pattern}|{NOT_E_MAIL.pattern}")
# The Indonesian catalogues of Django (its core and contrib apps) and of allauth.
SHIPPED_CATALOGUES = [
    *Path(django.__file__).parent.glob("**/locale/id/LC_MESSAGES/django.po"),
    Path(allauth.__file__).parent / "locale" / "id" / "LC_MESSAGES" / "django.po",
]


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


def test_a_plural_without_every_form_is_untranslated(tmp_path):
    """Indonesian declares two forms: with only the first, a count of 2 falls back to English."""
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "%(count)d row"\nmsgid_plural "%(count)d rows"\nmsgstr[0] "%(count)d baris"\n',
        encoding="utf-8",
    )
    assert [problem.split(": ", 1)[1] for problem in catalogue_problems(po)] == [
        "untranslated plural: '%(count)d row'"
    ]


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


def visible_text(page):
    return re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<(script|style)\b.*?</\1>", "", page))


def assert_portal_wording(response):
    page = response.content.decode()
    assert re.search(r"\b[Kk]ata sandi", page), "no password field on the page"
    assert NOT_KATA_SANDI.findall(page) == []
    assert NOT_E_MAIL.findall(visible_text(page)) == []


WEAK_PASSWORDS = {"password1": "12345", "password2": "54321"}


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("account_login", None),
        ("account_login", {"login": "nobody@example.org", "password": "salah"}),
        ("account_signup", None),
        ("account_signup", {"email": "siti@example.org", "name": "Siti", **WEAK_PASSWORDS}),
        ("account_reset_password", None),
    ],
    ids=["sign-in", "sign-in refused", "sign-up", "sign-up refused", "password reset"],
)
def test_the_sign_in_pages_say_kata_sandi_and_e_mail(client, db, url_name, data):
    url = reverse(url_name)
    assert_portal_wording(client.post(url, data) if data else client.get(url))


def test_the_admin_login_says_kata_sandi(client, db):
    assert_portal_wording(client.get(reverse("admin:login"), follow=True))


def test_changing_the_password_says_kata_sandi_with_its_errors(client, resident):
    client.force_login(resident)
    url = reverse("account_change_password")
    assert_portal_wording(client.get(url))
    assert_portal_wording(client.post(url, {"oldpassword": "salah", **WEAK_PASSWORDS}))


def test_setting_up_two_factor_asks_for_the_kata_sandi(client, officer):
    client.force_login(officer)
    asked = client.get(reverse("mfa_activate_totp"))
    assert_portal_wording(client.get(asked["Location"]))


def test_the_admins_password_pages_say_kata_sandi(client, operator, resident):
    client.force_login(operator)
    assert_portal_wording(client.get(reverse("admin:password_change")))
    user_password = reverse("admin:auth_user_password_change", args=[resident.pk])
    assert_portal_wording(client.get(user_password))


def test_no_indonesian_string_of_the_portal_django_or_allauth_strays_from_its_wording():
    """Every string of the three catalogues, as the portal serves it: a string a new release of
    Django or allauth adds with "sandi", "email" or "reset" shows up here, to be added to
    translation_overrides.txt."""
    import polib

    wrong = []
    with translation.override("id"):
        for catalogue in [PO_PATH, *SHIPPED_CATALOGUES]:
            for entry in polib.pofile(str(catalogue)):
                if entry.obsolete or not entry.msgid:
                    continue
                if entry.msgid_plural:
                    served = [
                        translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                        if entry.msgctxt
                        else translation.ngettext(entry.msgid, entry.msgid_plural, n)
                        for n in (1, 2)
                    ]
                elif entry.msgctxt:
                    served = [translation.pgettext(entry.msgctxt, entry.msgid)]
                else:
                    served = [translation.gettext(entry.msgid)]
                wrong += [text for text in served if NOT_PORTAL_WORDING.search(text)]
    assert wrong == []


def test_every_override_is_still_a_string_of_django_allauth_or_drf_in_the_portals_wording():
    import polib

    overrides = Path(settings.BASE_DIR) / "templates" / "translation_overrides.txt"
    msgids = [
        msgid
        for _quote, msgid in re.findall(
            r"""^\{\{ _\((["'])(.*)\1\) \}\}$""", overrides.read_text(), flags=re.MULTILINE
        )
    ]
    shipped = {
        entry.msgid for catalogue in SHIPPED_CATALOGUES for entry in polib.pofile(str(catalogue))
    }
    # DRF ships compiled catalogues only; its English one holds every msgid.
    drf = Path(rest_framework.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.mo"
    shipped |= {entry.msgid for entry in polib.mofile(str(drf))}
    ours = {entry.msgid: entry.msgstr for entry in polib.pofile(str(PO_PATH))}
    assert len(msgids) > 80
    assert [msgid for msgid in msgids if msgid not in shipped] == []
    assert [ours[msgid] for msgid in msgids if NOT_PORTAL_WORDING.search(ours[msgid])] == []
