"""A new user's first steps in a real browser, on a phone and on a desktop."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, email: str) -> None:
    page.goto(page.base_url + "/")
    page.get_by_role("link", name="Masuk").first.click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def test_home_page_in_indonesian_then_english(page, area):
    page.goto(page.base_url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aman bersama di desa Anda")
    expect(page.get_by_text("Telepon 110")).to_be_visible()
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    screenshot(page, "home-id")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Safe together in your desa")
    page.goto(page.base_url + "/desa/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find your desa")


def test_a_visitor_finds_a_desa_by_name(page, area, officer):
    page.goto(page.base_url + "/")
    page.get_by_label("Nama desa atau kelurahan Anda").fill("cileunyi")
    page.get_by_role("button", name="Cari").click()
    page.get_by_role("link", name="Desa Cileunyi Kulon").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Desa Cileunyi Kulon")
    expect(page.get_by_text(officer.name)).to_be_visible()
    screenshot(page, "village")


def test_an_officer_lands_on_their_desa(page, area, officer):
    sign_in(page, officer.email)
    expect(page.get_by_role("heading", level=1)).to_contain_text("desa binaan saya")
    expect(page.get_by_role("link", name="Desa Cileunyi Kulon")).to_be_visible()
    expect(page.get_by_text("Cileunyi Wetan")).to_have_count(0)
    screenshot(page, "officer-landing")


def test_a_polres_commander_lands_on_the_polres(page, area, polres_commander, officer):
    sign_in(page, polres_commander.email)
    expect(page.get_by_role("heading", level=1)).to_have_text(area.polres.name)
    expect(page.get_by_role("link", name=area.polsek.name)).to_be_visible()
    expect(page.get_by_text("Gegerkalong")).to_have_count(0)
    screenshot(page, "polres-landing")
