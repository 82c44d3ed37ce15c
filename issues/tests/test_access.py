"""Every problem view, tried by every role against a private problem of `area.village`
reported by `other_resident` (with a photo)."""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from issues.models import ProblemPhoto
from issues.tests.factories import ProblemFactory
from issues.workflow import Status

ROLES = [
    "anonymous",
    "resident",
    "other_resident",
    "officer",
    "officer_elsewhere",
    "kapolsek",
    "polres_commander",
    "other_polres_commander",
    "polda_viewer",
    "operator",
]

# Who may read the private problem's page and photo.
READERS = {"other_resident", "officer", "kapolsek", "polres_commander", "polda_viewer", "operator"}
# Who may work on it (move it, note it, assign it to the desa's Bhabinkamtibmas).
WORKERS = {"officer", "kapolsek", "polres_commander"}


@pytest.fixture
def private_problem(area, other_resident, officer):
    problem = ProblemFactory(
        village=area.village,
        reporter=other_resident,
        reporter_named=True,
        is_private=True,
        title="Rahasia di rumah nomor 5",
        contact_name="Bu Sari",
    )
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "JPEG")
    photo = ProblemPhoto.objects.create(
        problem=problem, image=ContentFile(buffer.getvalue(), name="x.jpg")
    )
    return problem, photo


def login(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


@pytest.mark.parametrize("role", ROLES)
def test_reading_a_private_problem(client, request, area, private_problem, role):
    problem, photo = private_problem
    login(client, request, role)
    detail = client.get(reverse("issues:detail", args=[problem.reference]))
    image = client.get(reverse("issues:photo", args=[photo.pk]))
    public = client.get(reverse("issues:public", args=[problem.reference]))
    if role == "anonymous":
        assert detail.status_code == 302  # to sign in
    else:
        assert detail.status_code == (200 if role in READERS else 404)
    assert image.status_code == (200 if role in READERS else 404)
    assert public.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_working_on_a_problem(client, request, area, private_problem, role):
    problem, _photo = private_problem
    login(client, request, role)
    moved = client.post(
        reverse("issues:transition", args=[problem.reference]), {"to_status": Status.VERIFIED}
    )
    noted = client.post(reverse("issues:comment", args=[problem.reference]), {"note": "x"})
    assigned = client.post(
        reverse("issues:assign", args=[problem.reference]),
        {"officer": request.getfixturevalue("officer").officer.pk},
    )
    responses = [moved.status_code, noted.status_code, assigned.status_code]
    problem.refresh_from_db()
    if role in WORKERS:
        assert responses == [302, 302, 302]
        assert problem.status == Status.VERIFIED
        assert problem.assigned_to.user.email == "officer@example.org"
    else:
        # Anonymous callers go to sign in; everyone else learns nothing (404).
        assert responses == ([302] * 3 if role == "anonymous" else [404] * 3)
        assert problem.status == Status.NEW
        assert problem.assigned_to is None
        assert not problem.events.filter(kind__in=["comment", "assignment"]).exists()


@pytest.mark.parametrize("role", ROLES)
def test_no_list_shows_a_private_problem_outside_the_scope(
    client, request, area, private_problem, role
):
    problem, _photo = private_problem
    login(client, request, role)
    desa = client.get(reverse("territory:village_detail", args=[area.village.code])).content
    assert problem.title.encode() not in desa
    listing = client.get(reverse("issues:list"))
    if listing.status_code == 200:
        assert (problem.title.encode() in listing.content) == (role in READERS)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_police_of_the_area_and_operators_see_the_reporter(
    client, request, area, private_problem, role
):
    problem, _photo = private_problem
    login(client, request, role)
    response = client.get(reverse("issues:detail", args=[problem.reference]))
    shows_reporter = problem.reporter.email.encode() in response.content
    assert shows_reporter == (role in WORKERS | {"operator"})


def test_an_officer_given_a_problem_of_another_desa_of_the_polsek_opens_it(
    client, area, officer, kapolsek
):
    problem = ProblemFactory(village=area.village_b)
    client.force_login(officer)
    assert client.get(reverse("issues:detail", args=[problem.reference])).status_code == 404
    client.force_login(kapolsek)
    client.post(reverse("issues:assign", args=[problem.reference]), {"officer": officer.officer.pk})
    page = client.get(reverse("issues:detail", args=[problem.reference])).content.decode()
    # The choice shows who has it now, not "Choose an officer…".
    assert f'<option value="{officer.officer.pk}" selected>' in page
    client.force_login(officer)
    assert client.get(reverse("issues:detail", args=[problem.reference])).status_code == 200
    assert problem.reference in client.get(reverse("issues:list")).content.decode()
