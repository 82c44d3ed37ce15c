"""axe-core on every main page, on a phone: no serious or critical violation."""

from pathlib import Path

import pytest

from accounts.tests.factories import PASSWORD
from conftest import skip_or_fail
from issues.tests.factories import TRACKING_CODE, ProblemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def axe_source():
    if not AXE.exists():
        skip_or_fail("axe-core is not installed (npm ci)")
    return AXE.read_text()


@pytest.fixture
def page(chromium, live_server):
    # The portal's CSP forbids injected scripts, rightly: the test context bypasses it for axe.
    context = chromium.new_context(
        viewport={"width": 360, "height": 740}, locale="id-ID", bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    yield page
    context.close()


def violations(page, axe_source) -> list[str]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ["violations"]});
        return r.violations.filter(v => ["serious", "critical"].includes(v.impact))
            .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).slice(0, 3).join(", "));
    }""")
    return result


def sign_in(page, email):
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


@pytest.fixture
def problem(area):
    return ProblemFactory(village=area.village)


def public_pages(area, problem):
    return [
        "/",
        "/desa/?q=cileunyi",
        f"/desa/{area.village.code}/",
        "/lapor/",
        f"/lapor/?desa={area.village.code}",
        "/lacak/",
        f"/lacak/{problem.reference}/{TRACKING_CODE}/",
        f"/publik/{problem.reference}/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
    ]


def test_public_pages_have_no_serious_violations(page, area, problem, axe_source):
    found = {}
    for path in public_pages(area, problem):
        page.goto(page.base_url + path)
        if problems := violations(page, axe_source):
            found[path] = problems
    assert found == {}


@pytest.mark.parametrize("role", ["officer", "polres_commander", "resident"])
def test_signed_in_pages_have_no_serious_violations(page, area, problem, axe_source, request, role):
    user = request.getfixturevalue(role)
    sign_in(page, user.email)
    paths = ["/home/", "/masalah/"]
    if role == "officer":
        paths += [f"/masalah/{problem.reference}/", "/kunjungan/baru/", "/kunjungan/"]
    if role == "polres_commander":
        paths += ["/personel/", "/personel/impor/", f"/personel/desa/{area.village.code}/"]
    found = {}
    for path in paths:
        page.goto(page.base_url + path)
        if problems := violations(page, axe_source):
            found[path] = problems
    assert found == {}
