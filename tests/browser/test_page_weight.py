"""The resident's pages stay light for a village signal: at most 150 KB on a first load, all of
it from the portal itself. Measured through the browser, uncompressed here (the live test
server does not compress), so production with compression is lighter still."""

from urllib.parse import urlparse

import pytest

from issues.tests.factories import TRACKING_CODE, ProblemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUDGET = 150 * 1024


def first_load(chromium, url: str) -> tuple[int, set[str]]:
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    requests = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.goto(url, wait_until="networkidle")
    total = 0
    for request in requests:
        sizes = request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    hosts = {urlparse(r.url).netloc for r in requests if not r.url.startswith("data:")}
    context.close()
    return total, hosts


@pytest.mark.parametrize("path", ["home", "desa", "form", "tracking"])
def test_resident_pages_are_light_and_local(chromium, live_server, area, path):
    problem = ProblemFactory(village=area.village)
    url = (
        live_server.url
        + {
            "home": "/",
            "desa": f"/desa/{area.village.code}/",
            "form": f"/lapor/?desa={area.village.code}",
            "tracking": f"/lacak/{problem.reference}/{TRACKING_CODE}/",
        }[path]
    )
    total, hosts = first_load(chromium, url)
    assert hosts == {urlparse(live_server.url).netloc}
    assert 0 < total <= BUDGET, f"{path}: {total} bytes"
