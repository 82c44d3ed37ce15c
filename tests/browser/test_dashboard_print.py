"""A commander prints the dashboard's desa table whole, its headings breaking between words on
A4 portrait and landscape, and reads the table on a phone without a blank above it."""

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from metrics.compute import recompute
from metrics.compute.months import month_start
from metrics.views import dashboards
from tests.browser.helpers import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A4 inside Chrome's default margins (10 mm a side), in CSS pixels.
PRINTED_WIDTHS = {"portrait": 718, "landscape": 1047}

# Each word of a heading on one line (a word's box spans two lines where it was broken), and
# the table within the page (else its last columns are cut off).
LAYOUT = """() => {
  const table = document.querySelector('.dash-table');
  const broken = [];
  for (const th of table.tHead.rows[0].cells) {
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(word[0]);
      }
    }
  }
  return {broken, overflow: document.documentElement.scrollWidth - window.innerWidth};
}"""


@pytest.mark.parametrize("language", ["id"])
@pytest.mark.parametrize("page", ["desktop"], indirect=True)
def test_a_commander_prints_every_desa_of_a_paged_table(page, area, polres_commander, monkeypatch):
    monkeypatch.setattr(dashboards, "PAGE_SIZE", 2)
    recompute(months=[month_start(timezone.localdate())])
    sign_in(page, polres_commander.email)
    page.goto(f"{page.base_url}/dasbor/polres/{area.polres.code}/?baris=desa&urut=-name")
    rows = page.locator(".dash-table tbody tr")
    assert rows.count() == 2
    page.emulate_media(media="print")
    # The printout of a page says which rows it holds.
    assert page.locator(".dash-print-note").is_visible()
    page.emulate_media(media="screen")

    page.locator(".dash-print-link").click()
    assert "cetak=1" in page.url and "urut=-name" in page.url
    names = [area.village_elsewhere.name, area.village_b.name, area.village.name]
    assert [rows.nth(n).locator("th").inner_text() for n in range(3)] == [
        f"Desa {name}" for name in names
    ]
    assert page.locator(".pagination").count() == 0
    screenshot(page, "dashboard-print-whole-table")

    page.emulate_media(media="print")
    for orientation, width in PRINTED_WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 1000})
        layout = page.evaluate(LAYOUT)
        assert layout == {"broken": [], "overflow": 0}, orientation
    printed = page.pdf(format="A4", landscape=False)
    text = " ".join(
        " ".join(pdf_page.extract_text().split())
        for pdf_page in PdfReader(io.BytesIO(printed)).pages
    )
    assert all(name in text for name in names)


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_on_a_phone_the_desa_table_has_no_blank_above_it(page, area, polres_commander):
    sign_in(page, polres_commander.email)
    page.goto(f"{page.base_url}/dasbor/polres/{area.polres.code}/?baris=desa#wilayah")
    head = page.locator(".dash-table thead").bounding_box()
    first = page.locator(".dash-table thead th").first.get_by_role("link").bounding_box()
    # The headings on screen start at the top of their row; the longest, off screen, take at
    # most three lines (at seven, the row was 125 px tall, and "Desa" sat under 100 px of blank).
    assert first["y"] - head["y"] < 12
    assert head["height"] < 64
    screenshot(page, "dashboard-desa-table")


# The height of each tap target of the dashboard that is smaller than a finger (44 px).
SMALL_TARGETS = """() => [...document.querySelectorAll(
    '.dash-month-form > a, .dash-month-form input, .dash-month-form button,'
    + ' .dash-actions > a, .dash-ind .ind-label a')]
  .map((el) => [el.textContent.trim(), Math.round(el.getBoundingClientRect().height)])
  .filter(([, height]) => height < 44)"""


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_on_a_phone_the_dashboards_links_are_a_fingers_size(page, area, polres_commander):
    recompute(months=[month_start(timezone.localdate())])
    sign_in(page, polres_commander.email)
    page.goto(f"{page.base_url}/dasbor/polres/{area.polres.code}/")
    assert page.locator(".dash-ind .ind-label a").count() > 10
    assert page.evaluate(SMALL_TARGETS) == []
