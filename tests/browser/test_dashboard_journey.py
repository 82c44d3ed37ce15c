"""A Polres commander opens the dashboard, drills down from the Polres to a Polsek and to a
desa, sees which desa needs attention, downloads the table as XLSX, and goes back up to the
Polres for the month's PDF report."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from metrics.catalogue import BY_KEY
from metrics.compute import recompute
from metrics.compute.months import month_start
from tests.browser.helpers import expect_page_response, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_commander_drills_down_to_a_desa_and_back_up_to_the_monthly_report(
    page, t, area, officer, polres_commander
):
    # The desa's officer covers Cileunyi Kulon only: Cileunyi Wetan has nobody.
    month = month_start(timezone.localdate())
    recompute(months=[month])
    sign_in(page, polres_commander.email)
    page.get_by_role("link", name=t("Dashboard of indicators")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(area.polres.name)
    expect(page.get_by_role("link", name=t(BY_KEY["coverage_pct"].label)).first).to_be_visible()
    screenshot(page, "dashboard-polres")

    page.get_by_role("row").get_by_role("link", name=area.polsek.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(area.polsek.name)
    # The Polsek's dashboard has its report too; a desa's has none.
    expect(page.get_by_role("link", name=t("Monthly report (PDF)"))).to_be_visible()
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
    expect(page.get_by_role("link", name=t("Monthly report (PDF)"))).to_have_count(0)
    coverage = (
        page.get_by_role("row")
        .filter(has=page.get_by_role("link", name=t(BY_KEY["coverage_pct"].label)))
        .first
    )
    expect(coverage).to_contain_text("100")
    screenshot(page, "dashboard-desa")

    # Back up to the Polres by the breadcrumbs, for the report of the month on screen, in the
    # commander's language. Chromium opens it in its PDF viewer (no download), which the test
    # does not leave: going Back while the viewer loads races with it. The status and headers
    # are those of the click's response; the document is fetched again from the same address
    # with the commander's session, as the viewer hands Playwright its own HTML for a body.
    breadcrumbs = page.get_by_role("navigation", name=t("Areas above"))
    breadcrumbs.get_by_role("link", name=area.polres.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(area.polres.name)
    figures_for = t.plain("Figures for <strong>%(month)s</strong>", month=t.month(month))
    expect(page.get_by_text(figures_for)).to_be_visible()
    with expect_page_response(page) as opened:
        page.get_by_role("link", name=t("Monthly report (PDF)")).click()
    report = opened.value
    assert report.status == 200
    assert report.headers["content-type"] == "application/pdf"
    assert report.headers["content-disposition"].endswith(
        f'filename="laporan-{area.polres.code}-{month:%Y-%m}.pdf"'
    )
    pdf = page.request.get(report.url).body()
    assert pdf.startswith(b"%PDF")
    # The cover: the title, the Polres under its Polda, the month.
    cover = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    title = t("Monthly community policing report").upper()
    assert f"{title} {area.polres.name} {area.polda.name} {t.month(month)}" in cover
