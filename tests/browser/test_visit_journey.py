"""An officer logs a visit from the home page on a phone; it shows on the officer's day and in
the commander's workload view."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from officers.models import Visit
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, email: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def test_an_officer_logs_a_visit_in_under_a_minute(page, area, officer, kapolsek):
    sign_in(page, officer.email)
    page.get_by_role("link", name="Catat kunjungan").first.click()
    page.get_by_label("Orang yang ditemui").fill("6")
    page.get_by_label("Perempuan").check()
    page.get_by_label("Catatan").fill("Sambang ke warung kopi RT 03")
    page.get_by_role("button", name="Simpan kunjungan").click()
    expect(page.get_by_text("Kunjungan disimpan.")).to_be_visible()
    expect(page.get_by_text("0 hari lalu")).to_be_visible()
    screenshot(page, "officer-day")
    visit = Visit.objects.get()
    assert visit.people == 6 and visit.village == area.village

    commander = page.context.browser.new_context(viewport=page.viewport_size).new_page()
    commander.set_default_timeout(10_000)
    commander.base_url = page.base_url
    commander.viewport_name = page.viewport_name
    sign_in(commander, kapolsek.email)
    commander.get_by_role("link", name="Personel dan beban kerja").click()
    row = commander.get_by_role("row").filter(has_text=officer.name)
    expect(row).to_contain_text(area.village.name)
    expect(row.get_by_role("cell").nth(3)).to_have_text("1")  # visits this month
    screenshot(commander, "commander-workload")
