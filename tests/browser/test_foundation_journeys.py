"""A new user's first steps in a real browser, on a phone and on a desktop."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.conf import settings
from playwright.sync_api import expect

from accounts.forms import RECOVERY_HINT
from tests.browser.helpers import Wording, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_home_page_speaks_the_chosen_language_and_fits_the_screen(page, t, area):
    page.goto(page.base_url + "/")
    expect(page.locator("html")).to_have_attribute("lang", page.language)
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Safe together in your desa"))
    emergency = t.plain(
        "Emergency? Call <strong>110</strong>. This portal is not an emergency channel."
    )
    expect(page.get_by_role("note")).to_have_text(emergency)
    # Nothing wider than the phone's screen, in the longer language too.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    screenshot(page, "home")


@pytest.mark.parametrize("language", ["id"])
def test_the_header_button_switches_to_english_and_the_choice_is_remembered(page, area):
    indonesian, english = Wording("id"), Wording("en")
    page.goto(page.base_url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        indonesian("Safe together in your desa")
    )
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(english("Safe together in your desa"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies[settings.LANGUAGE_COOKIE_NAME] == "en"

    # Remembered on the next pages, and the way back is as short.
    page.goto(page.base_url + "/desa/")
    expect(page.get_by_role("heading", level=1)).to_have_text(english("Find your desa"))
    page.get_by_role("link", name=english("Report"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(english("Report a problem"))
    page.get_by_role("button", name="Bahasa Indonesia").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(indonesian("Report a problem"))
    page.goto(page.base_url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        indonesian("Safe together in your desa")
    )


def test_a_visitor_finds_a_desa_by_name(page, t, area, officer):
    page.goto(page.base_url + "/")
    page.get_by_label(t("Name of your desa or kelurahan")).fill("cileunyi")
    page.get_by_role("button", name=t("Search")).click()
    page.get_by_role("link", name=str(area.village)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(str(area.village))
    expect(page.get_by_text(officer.name)).to_be_visible()
    screenshot(page, "village")


def test_an_officer_lands_on_their_desa(page, t, area, officer):
    sign_in(page, officer.email, via_header=True)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("%(rank)s %(name)s: my desa", rank=officer.officer.get_rank_display(), name=officer.name)
    )
    expect(page.get_by_role("link", name=str(area.village))).to_be_visible()
    expect(page.get_by_text(area.village_b.name)).to_have_count(0)
    screenshot(page, "officer-landing")


def test_on_a_phone_the_officers_menu_folds_behind_a_button(page, t, area, officer):
    sign_in(page, officer.email, via_header=True)
    toggle = page.get_by_role("button", name=t("Menu"))
    problems = page.get_by_role("navigation", name=t("Main menu")).get_by_role(
        "link", name=t("Problems")
    )
    # One row above the page: unfolded on a phone, the menu took three (156 px).
    assert page.locator(".site-header").bounding_box()["height"] <= 64
    if page.viewport_size["width"] >= 720:
        expect(toggle).to_be_hidden()
    else:
        expect(problems).to_be_hidden()
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        screenshot(page, "officer-menu")
        problems.focus()
        page.keyboard.press("Escape")  # closes it, and the focus goes back to the button
        expect(problems).to_be_hidden()
        expect(toggle).to_be_focused()
        page.keyboard.press("Enter")
    problems.click()
    expect(page).to_have_url(re.compile(r"/masalah/$"))


def test_a_polres_commander_lands_on_the_polres(page, area, polres_commander, officer):
    sign_in(page, polres_commander.email, via_header=True)
    expect(page.get_by_role("heading", level=1)).to_have_text(area.polres.name)
    expect(page.get_by_role("link", name=area.polsek.name)).to_be_visible()
    expect(page.get_by_text(area.village_other_polres.name)).to_have_count(0)
    screenshot(page, "polres-landing")


def test_an_officer_with_an_authenticator_app_signs_in_with_its_code(page, t, area, officer):
    secret = generate_totp_secret()
    TOTP.activate(officer, secret)
    sign_in(page, officer.email)
    # The code page says what to type, and what to do with a lost phone.
    expect(page.get_by_text(t(RECOVERY_HINT))).to_be_visible()
    screenshot(page, "second-factor")
    if time.time() % 30 > 25:  # a code typed as its 30 seconds end would be refused
        time.sleep(30 - time.time() % 30)
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    page.get_by_label(t("Code")).fill(code)
    page.get_by_label(t("Code")).press("Enter")
    expect(page.get_by_role("link", name=str(area.village))).to_be_visible()
