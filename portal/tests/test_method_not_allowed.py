"""A form's target opened by its address (a reload, a bookmark) answers with a page and the
way back to the form, not Django's empty 405; the API and Open311 keep their own answers."""

from django.urls import reverse

from issues.models import Problem
from issues.tests.factories import ProblemFactory


def test_a_forms_target_opened_by_its_address_leads_back_to_the_form(client, area, kapolsek):
    problem = ProblemFactory(village=area.village)
    client.force_login(kapolsek)
    response = client.get(reverse("issues:transition", args=[problem.reference]))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "Content-Security-Policy" in response
    page = response.content.decode()
    assert "Tidak ada yang diubah." in page
    assert f'href="{reverse("issues:detail", args=[problem.reference])}"' in page
    assert Problem.objects.get(pk=problem.pk).status == problem.status


def test_the_page_offers_no_link_where_no_page_is_above(client, db):
    response = client.get(reverse("accounts:choose_village"))
    assert response.status_code == 405
    assert "Ke halaman formulir" not in response.content.decode()
    assert reverse("home") in response.content.decode()


def test_the_api_keeps_its_own_answer(client, db):
    response = client.get(reverse("api:token"))
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
