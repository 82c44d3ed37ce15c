"""A visit the desa's officer logged shows in the Kapolsek's workload view.

Logging the visit from the home page on a phone is part of the officer's journey in
test_problem_journey.py (and, with the keyboard alone, of test_keyboard.py)."""

import pytest
from playwright.sync_api import expect

from officers.models import GroupReached
from officers.services import visit_log
from tests.browser.helpers import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_kapolsek_sees_the_officers_visit_in_the_workload(page, t, area, officer, kapolsek):
    visit_log(
        actor=officer,
        village=area.village,
        people=6,
        groups_reached=[GroupReached.WOMEN],
        notes="Sambang ke warung kopi RT 03",
    )
    sign_in(page, kapolsek.email)
    page.get_by_role("link", name=t("Officers and workload")).click()
    row = page.get_by_role("row").filter(has_text=officer.name)
    expect(row).to_contain_text(area.village.name)
    expect(row.get_by_role("cell").nth(3)).to_have_text("1")  # visits this month
    screenshot(page, "commander-workload")
