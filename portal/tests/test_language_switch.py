"""The header's language switch returns to a page that opens: after a form sent back with a
mistake, the address is often the form's target, which answers POST only. A tester's Kapolsek
switched to English after a refused SARA step and got an empty "405" page."""

import re

from django.urls import reverse

from issues.tests.factories import ProblemFactory
from issues.workflow import Status


def _switch_target(page: str) -> str:
    form = page[page.index('class="inline-form lang-switch"') :]
    return re.search(r'name="next" value="([^"]*)"', form)[1]


def test_the_switch_returns_to_the_page_with_its_query(client, db):
    page = client.get(reverse("issues:file"), {"q": "cileunyi"}).content.decode()
    assert _switch_target(page) == "/lapor/?q=cileunyi"


def test_after_a_refused_step_the_switch_returns_to_the_problem_page(client, area, kapolsek):
    problem = ProblemFactory(village=area.village)
    detail = reverse("issues:detail", args=[problem.reference])
    client.force_login(kapolsek)
    response = client.post(
        reverse("issues:transition", args=[problem.reference]),
        {"to_status": Status.REJECTED, "note": ""},
        HTTP_REFERER=f"http://testserver{detail}",
    )
    assert response.status_code == 400
    target = _switch_target(response.content.decode())
    assert target == detail
    # Where it leads opens, in the other language.
    switched = client.post(reverse("set_language"), {"language": "en", "next": target})
    assert switched["Location"] == detail
    assert client.get(detail).status_code == 200


def test_the_switch_never_returns_to_another_site(client, area, kapolsek):
    problem = ProblemFactory(village=area.village)
    client.force_login(kapolsek)
    url = reverse("issues:transition", args=[problem.reference])
    response = client.post(
        url, {"to_status": Status.REJECTED, "note": ""}, HTTP_REFERER="https://evil.example/x"
    )
    assert _switch_target(response.content.decode()) == url


def test_the_sign_in_pages_remember_me_box_comes_before_its_label(client, db):
    """allauth rendered its label above a lone 21 px box; the portal's checkboxes are a row of
    their own with the label beside the box, all of it a target for a thumb."""
    page = client.get(reverse("account_login")).content.decode()
    row = page[page.index('class="field checkbox"') :].split("</div>")[0]
    assert row.index('name="remember"') < row.index('<label for="id_remember"')
    assert 'name="login"' in page and 'name="password"' in page
