"""Every main page, on a phone: axe-core finds no serious or critical violation, and every form
field a person can reach has an accessible name."""

import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import skip_or_fail
from forums.tests.factories import (
    ActionItemFactory,
    ForumFactory,
    HeldMeetingFactory,
    MeetingFactory,
    MemberFactory,
)
from issues.forms import ProblemForm
from issues.tests.factories import TRACKING_CODE, ProblemFactory
from metrics.compute import recompute
from metrics.compute.months import month_start
from tests.browser.helpers import open_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
ROLES = ["officer", "polres_commander", "resident"]


@pytest.fixture(scope="module")
def axe_source():
    if not AXE.exists():
        skip_or_fail("axe-core is not installed (npm ci)")
    return AXE.read_text()


@pytest.fixture
def page(chromium, live_server):
    """A phone in Indonesian: what is checked here depends on neither. axe is injected, which
    the portal's CSP rightly forbids: this browser bypasses the CSP."""
    page = open_page(chromium, live_server.url, language="id", viewport="phone", bypass_csp=True)
    yield page
    page.context.close()


def violations(page, axe_source) -> list[str]:
    page.add_script_tag(content=axe_source)
    # All of axe's rules run, `label` and `select-name` (critical) among them.
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ["violations"]});
        return r.violations.filter(v => ["serious", "critical"].includes(v.impact))
            .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).slice(0, 3).join(", "));
    }""")
    return result


def load(page, path: str) -> None:
    """Open `path` and make sure it is that page that gets checked, not an error page or the
    sign-in page it redirected to."""
    response = page.goto(page.base_url + path)
    assert (response.status, page.url) == (200, page.base_url + path)


FIELDS = "input:not([type=hidden]), select, textarea"
NAMED = re.compile(r"\S")


def unnamed_fields(page) -> list[str]:
    """The visible fields whose accessible name, as a screen reader computes it, is empty."""
    missing = []
    for field in page.locator(FIELDS).all():
        # The honeypot is kept away from people on purpose: off screen, aria-hidden, untabbable.
        if not field.is_visible() or field.evaluate("el => !!el.closest('[aria-hidden=true]')"):
            continue
        try:
            expect(field).to_have_accessible_name(NAMED, timeout=50)
        except AssertionError:
            missing.append(field.evaluate("el => el.outerHTML.slice(0, 120)"))
    return missing


@pytest.fixture
def problem(area):
    return ProblemFactory(village=area.village)


@pytest.fixture
def forum(area):
    """A public FKPM with a member and a held meeting that left an open action item: its
    public page shows the meeting and the officer's follow-up list the item."""
    forum = ForumFactory(village=area.village)
    MemberFactory(forum=forum)
    ActionItemFactory(meeting=HeldMeetingFactory(forum=forum))
    return forum


def public_pages(area, problem, forum) -> list[str]:
    return [
        "/",
        "/desa/?q=cileunyi",
        f"/desa/{area.village.code}/",
        f"/desa/{area.village.code}/survei/",
        f"/fkpm/{forum.pk}/publik/",
        "/lapor/",
        f"/lapor/?desa={area.village.code}",
        "/lacak/",
        f"/lacak/{problem.reference}/{TRACKING_CODE}/",
        f"/publik/{problem.reference}/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
    ]


def signed_in_pages(role, area, problem, forum) -> list[str]:
    paths = ["/home/", "/masalah/"]
    if role == "officer":
        meeting = MeetingFactory(forum=forum)
        paths += [
            f"/masalah/{problem.reference}/",
            "/kunjungan/baru/",
            "/kunjungan/",
            "/fkpm/",
            "/fkpm/tindak-lanjut/",
            f"/fkpm/{forum.pk}/",
            f"/fkpm/{forum.pk}/anggota/",
            f"/fkpm/{forum.pk}/jadwal/",
            f"/fkpm/{forum.pk}/rapat/{meeting.pk}/",
        ]
    if role == "polres_commander":
        # The dashboards read only the computed indicators: compute this month's first.
        recompute(months=[month_start(timezone.localdate())])
        paths += [
            "/personel/",
            "/personel/impor/",
            f"/personel/desa/{area.village.code}/",
            f"/dasbor/polres/{area.polres.code}/",
            f"/dasbor/polres/{area.polres.code}/?baris=desa",
            f"/dasbor/polsek/{area.polsek.code}/",
            f"/dasbor/desa/{area.village.code}/",
            "/dasbor/definisi/",
            "/statistik-kejahatan/impor/",
        ]
    return paths


def test_public_pages_have_no_serious_violations(page, area, problem, forum, axe_source):
    found = {}
    for path in public_pages(area, problem, forum):
        load(page, path)
        if problems := violations(page, axe_source):
            found[path] = problems
    assert found == {}


@pytest.mark.parametrize("role", ROLES)
def test_signed_in_pages_have_no_serious_violations(
    page, area, problem, forum, axe_source, request, role
):
    user = request.getfixturevalue(role)
    sign_in(page, user.email)
    found = {}
    for path in signed_in_pages(role, area, problem, forum):
        load(page, path)
        if problems := violations(page, axe_source):
            found[path] = problems
    assert found == {}


def test_every_field_of_the_public_pages_has_a_name(page, area, problem, forum):
    found = {}
    for path in public_pages(area, problem, forum):
        load(page, path)
        if missing := unnamed_fields(page):
            found[path] = missing
    assert found == {}


@pytest.mark.parametrize("role", ROLES)
def test_every_field_of_the_signed_in_pages_has_a_name(page, area, problem, forum, request, role):
    user = request.getfixturevalue(role)
    sign_in(page, user.email)
    found = {}
    for path in signed_in_pages(role, area, problem, forum):
        load(page, path)
        if missing := unnamed_fields(page):
            found[path] = missing
    assert found == {}


def test_the_page_after_filing_has_no_serious_violations_and_names_its_fields(
    page, area, axe_source
):
    # Shown once, straight after a report is sent: the only way to it is to file one.
    t = page.t
    page.goto(f"{page.base_url}/lapor/?desa={area.village.code}")
    page.get_by_label(t.label(ProblemForm, "category")).select_option(label=t.category("pencurian"))
    page.get_by_label(t.label(ProblemForm, "title")).fill("Motor hilang di pos ronda")
    page.get_by_label(t.label(ProblemForm, "description")).fill("Dari depan pos ronda RT 03.")
    page.get_by_label(t.label(ProblemForm, "consent")).check()
    page.get_by_role("button", name=t("Send report")).click()
    expect(page).to_have_url(re.compile(r"/lapor/terkirim/$"))
    assert unnamed_fields(page) == []
    assert violations(page, axe_source) == []
