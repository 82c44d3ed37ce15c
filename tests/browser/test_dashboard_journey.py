"""A Polres commander opens the dashboard, drills down from the Polres to a Polsek and to a
desa, sees which desa needs attention, and downloads the table as XLSX."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from metrics.catalogue import BY_KEY
from metrics.compute import recompute
from metrics.compute.months import month_start
from tests.browser.helpers import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_commander_drills_down_to_a_desa_and_downloads_the_table(
    page, t, area, officer, polres_commander
):
    # The desa's officer covers Cileunyi Kulon only: Cileunyi Wetan has nobody.
    recompute(months=[month_start(timezone.localdate())])
    sign_in(page, polres_commander.email)
    page.get_by_role("link", name=t("Dashboard of indicators")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(area.polres.name)
    expect(page.get_by_role("link", name=t(BY_KEY["coverage_pct"].label)).first).to_be_visible()
    screenshot(page, "dashboard-polres")

    page.get_by_role("row").get_by_role("link", name=area.polsek.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(area.polsek.name)
    neglected = page.get_by_role("row").filter(has_text=area.village_b.name)
    expect(neglected).to_contain_text(t("No officer"))
    covered = page.get_by_role("row").filter(has_text=area.village.name)
    expect(covered).not_to_contain_text(t("No officer"))

    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").last.click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    cells = {cell for row in sheet.iter_rows(values_only=True) for cell in row}
    assert {area.village.code, area.village_b.code} <= cells

    page.get_by_role("row").get_by_role("link", name=area.village.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(area.village.name)
    coverage = (
        page.get_by_role("row")
        .filter(has=page.get_by_role("link", name=t(BY_KEY["coverage_pct"].label)))
        .first
    )
    expect(coverage).to_contain_text("100")
    screenshot(page, "dashboard-desa")
