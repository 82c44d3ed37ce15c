"""An officer logs a visit from the home page on a phone; it shows on the officer's day and in
the commander's workload view."""

import pytest
from playwright.sync_api import expect

from officers.forms import VisitForm
from officers.models import GroupReached, Visit
from tests.browser.helpers import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_logs_a_visit_in_under_a_minute(page, other_page, t, area, officer, kapolsek):
    sign_in(page, officer.email)
    page.get_by_role("link", name=t("Log a visit")).first.click()
    page.get_by_label(t.label(VisitForm, "people")).fill("6")
    page.get_by_label(t(GroupReached.WOMEN.label)).check()
    page.get_by_label(t.label(VisitForm, "notes")).fill("Sambang ke warung kopi RT 03")
    page.get_by_role("button", name=t("Save visit")).click()
    expect(page.get_by_text(t("Visit saved."))).to_be_visible()
    expect(
        page.get_by_text(t.plural("%(counter)s day ago", "%(counter)s days ago", 0, counter=0))
    ).to_be_visible()
    screenshot(page, "officer-day")
    visit = Visit.objects.get()
    assert visit.people == 6 and visit.village == area.village

    commander = other_page
    sign_in(commander, kapolsek.email)
    commander.get_by_role("link", name=t("Officers and workload")).click()
    row = commander.get_by_role("row").filter(has_text=officer.name)
    expect(row).to_contain_text(area.village.name)
    expect(row.get_by_role("cell").nth(3)).to_have_text("1")  # visits this month
    screenshot(commander, "commander-workload")
