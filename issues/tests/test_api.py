"""The problems API: filing, scoped lists and details, the reporter's identity, SARA steps."""

import datetime
import io

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from issues.models import Problem, ProblemPhoto
from issues.tests.factories import ProblemFactory
from issues.workflow import Status
from portal import audit
from portal.models import AuditEvent
from portal.tests.api_client import client_for
from territory.tests.factories import DistrictFactory, VillageFactory

URL = "/api/v1/problems/"


def references(response) -> set[str]:
    return {row["reference"] for row in response.json()["results"]}


@pytest.fixture
def problems(area, resident, other_resident):
    return {
        "public": ProblemFactory(village=area.village, is_private=False, title="Motor hilang"),
        "own_private": ProblemFactory(village=area.village, reporter=resident, is_private=True),
        "others_private": ProblemFactory(
            village=area.village, reporter=other_resident, reporter_named=True, is_private=True
        ),
        "private_elsewhere": ProblemFactory(village=area.village_elsewhere, is_private=True),
        "hidden": ProblemFactory(village=area.village, is_private=False, is_hidden=True),
    }


def test_anonymous_filing_returns_a_reference_and_a_tracking_code(area):
    response = client_for().post(
        URL,
        {
            "desa": area.village.code,
            "category": "pencurian",
            "title": "Motor hilang di pos ronda",
            "description": "Tadi malam motor warga hilang.",
            "consent": True,
            "contact_phone": "0812 3456 7890",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    problem = Problem.objects.get(reference=body["reference"])
    assert problem.source == Problem.Source.API
    assert problem.tracking_code_hash == Problem.hash_tracking_code(body["tracking_code"])
    assert body["tracking_url"].endswith(f"/lacak/{body['reference']}/{body['tracking_code']}/")


def test_a_desa_code_with_spaces_around_it_is_found(area):
    filing = {
        "desa": f" {area.village.code} ",
        "category": "pencurian",
        "title": "Motor hilang",
        "description": "Tadi malam motor warga hilang.",
        "consent": True,
    }
    response = client_for().post(URL, filing, format="json")
    assert response.status_code == 201, response.json()
    assert Problem.objects.get().village == area.village


def test_a_time_without_an_offset_is_the_desas_local_time(db):
    # A desa in Papua (WIT, UTC+9): 21:30 there is 12:30 UTC, as on the web form.
    village = VillageFactory(
        code="91.71.01.1001", district=DistrictFactory(code="91.71.01", regency__code="91.71")
    )
    filing = {
        "desa": village.code,
        "category": "pencurian",
        "title": "Motor hilang",
        "description": "Tadi malam motor warga hilang.",
        "consent": True,
    }
    with time_machine.travel(datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC)):
        for occurred_at in ("2026-03-01T21:30", "2026-03-01T21:30:00+09:00"):
            response = client_for().post(URL, {**filing, "occurred_at": occurred_at}, format="json")
            assert response.status_code == 201, response.json()
    assert {p.occurred_at for p in Problem.objects.all()} == {
        datetime.datetime(2026, 3, 1, 12, 30, tzinfo=datetime.UTC)
    }


def test_filing_without_consent_is_refused_and_changes_nothing(area):
    response = client_for().post(
        URL,
        {"desa": area.village.code, "category": "pencurian", "title": "x", "description": "y"},
        format="json",
    )
    assert response.status_code == 400
    assert "consent" in response.json()
    assert not Problem.objects.exists()


def test_filing_in_an_unknown_desa_is_refused(area):
    response = client_for().post(
        URL,
        {
            "desa": "99.99.99.9999",
            "category": "pencurian",
            "title": "x",
            "description": "y",
            "consent": True,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "desa" in response.json()


def test_filing_is_rate_limited_like_the_web_form(area, settings):
    from issues.views import common

    settings_limit = common.FILING_PER_IP
    common.FILING_PER_IP = (1, 3600)
    try:
        payload = {
            "desa": area.village.code,
            "category": "pencurian",
            "title": "Motor hilang",
            "description": "Tadi malam.",
            "consent": True,
        }
        client = client_for()
        assert client.post(URL, payload, format="json").status_code == 201
        refused = client.post(URL, payload, format="json")
    finally:
        common.FILING_PER_IP = settings_limit
    assert refused.status_code == 429
    assert Problem.objects.count() == 1


def test_a_residents_token_lists_their_own_private_problems_and_the_public_ones(problems, resident):
    response = client_for(resident).get(URL)
    assert references(response) == {
        problems["public"].reference,
        problems["own_private"].reference,
    }


def test_anonymous_callers_list_only_public_problems(problems):
    assert references(client_for().get(URL)) == {problems["public"].reference}


def test_an_officer_lists_the_problems_of_their_desa(area, problems, officer):
    public_elsewhere = ProblemFactory(village=area.village_elsewhere, is_private=False)
    listed = references(client_for(officer).get(URL))
    assert listed == {
        problems["public"].reference,
        problems["own_private"].reference,
        problems["others_private"].reference,
    }
    # Not listed, but readable like any public problem.
    detail = client_for(officer).get(f"{URL}{public_elsewhere.reference}/")
    assert detail.status_code == 200
    assert detail.json()["reporter"] is None


@pytest.mark.parametrize(
    "role", ["anonymous", "resident", "officer_elsewhere", "other_polres_commander"]
)
def test_a_private_problem_outside_the_scope_answers_404(request, problems, role):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    response = client_for(user).get(f"{URL}{problems['others_private'].reference}/")
    assert response.status_code == 404


def test_a_public_problem_shows_the_public_only_what_the_privacy_notice_promises(
    area, problems, resident, other_resident, officer
):
    public = problems["public"]
    Problem.objects.filter(pk=public.pk).update(
        reporter=other_resident,
        description="Rumah saya di Jl. Melati No. 5",
        location_text="Jl. Melati No. 5",
        latitude="-6.935100",
        longitude="107.721100",
        occurred_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
        vulnerable_groups=["children"],
    )
    detail = f"{URL}{public.reference}/"
    for caller in (None, resident):  # anyone, and a resident who did not report it
        record = client_for(caller).get(detail).json()
        rows = client_for(caller).get(URL).json()["results"]
        assert public.reference in {row["reference"] for row in rows}
        assert "Melati" not in str(record) and "Melati" not in str(rows)
        assert record["latitude"] is None and record["longitude"] is None
        assert record["occurred_at"] is None and record["vulnerable_groups"] == []
        assert record["status"] == public.status and record["category"] == "pencurian"
    for caller in (officer, other_resident):  # the police of the area, and the reporter
        record = client_for(caller).get(detail).json()
        assert record["location_text"] == "Jl. Melati No. 5"
        assert record["description"] == "Rumah saya di Jl. Melati No. 5"
        assert record["latitude"] == "-6.935100" and record["vulnerable_groups"] == ["children"]


def test_the_reporter_is_shown_only_to_the_police_of_the_area(problems, officer, resident):
    reference = problems["others_private"].reference
    as_officer = client_for(officer).get(f"{URL}{reference}/").json()
    assert as_officer["reporter"]["email"] == "other.resident@example.org"
    public = problems["public"].reference
    assert client_for(resident).get(f"{URL}{public}/").json()["reporter"] is None
    assert client_for().get(f"{URL}{public}/").json()["reporter"] is None


def test_a_reporter_who_withheld_their_name_is_shown_to_operators_only(
    area, other_resident, officer, kapolsek, operator
):
    problem = ProblemFactory(village=area.village, reporter=other_resident, reporter_named=False)
    for police in (officer, kapolsek):
        detail = client_for(police).get(f"{URL}{problem.reference}/").json()
        assert detail["reporter"] is None
        assert "other.resident@example.org" not in str(detail)
    assert not AuditEvent.objects.filter(action=audit.Action.REPORTER_VIEWED).exists()
    detail = client_for(operator).get(f"{URL}{problem.reference}/").json()
    assert detail["reporter"]["email"] == "other.resident@example.org"
    assert detail["reporter"]["named"] is False


def test_a_list_never_holds_a_reporters_identity(problems, officer, operator):
    """Identity is shown one problem at a time, each view audited: a list would hand every
    reporter of an area over in one call, unrecorded."""
    for user in (officer, operator):
        rows = client_for(user).get(URL).json()["results"]
        assert rows and all("reporter" not in row for row in rows)
        assert "other.resident@example.org" not in str(rows)


def test_the_officer_moves_a_problem_through_the_sara_cycle(problems, officer):
    reference = problems["public"].reference
    client = client_for(officer)
    for stage in [Status.VERIFIED, Status.ANALYSIS, Status.RESPONSE, Status.ASSESSMENT]:
        response = client.post(
            f"{URL}{reference}/transition/", {"to_status": stage, "note": "ok"}, format="json"
        )
        assert response.status_code == 200, response.json()
    response = client.post(
        f"{URL}{reference}/transition/",
        {"to_status": Status.RESOLVED, "resolution": "mediation", "is_public": True},
        format="json",
    )
    assert response.json()["status"] == Status.RESOLVED
    assert Problem.objects.get(reference=reference).resolution == "mediation"


def test_an_invalid_step_is_refused_with_a_message(problems, officer):
    reference = problems["public"].reference
    response = client_for(officer).post(
        f"{URL}{reference}/transition/", {"to_status": Status.RESOLVED}, format="json"
    )
    assert response.status_code == 400
    assert Problem.objects.get(reference=reference).status == Status.NEW


@pytest.mark.parametrize("original", ["KMT-2026-999999", "private_elsewhere"])
def test_a_duplicate_of_a_problem_outside_the_area_is_named_as_unknown(problems, officer, original):
    reference = problems["public"].reference
    original = problems[original].reference if original in problems else original
    response = client_for(officer, language="en").post(
        f"{URL}{reference}/transition/",
        {"to_status": Status.DUPLICATE, "duplicate_of": original},
        format="json",
    )
    assert response.status_code == 400
    # Not "give the reference of the original problem": the caller gave one.
    assert response.json() == {"duplicate_of": ["No problem with that reference in your area."]}
    assert Problem.objects.get(reference=reference).status == Status.NEW


def test_an_officer_elsewhere_cannot_move_a_public_problem(problems, officer_elsewhere):
    reference = problems["public"].reference
    response = client_for(officer_elsewhere).post(
        f"{URL}{reference}/transition/", {"to_status": Status.VERIFIED}, format="json"
    )
    assert response.status_code == 403
    assert Problem.objects.get(reference=reference).status == Status.NEW


def test_a_resident_cannot_move_their_own_problem(problems, resident):
    reference = problems["own_private"].reference
    response = client_for(resident).post(
        f"{URL}{reference}/transition/", {"to_status": Status.VERIFIED}, format="json"
    )
    assert response.status_code in (400, 403)
    assert Problem.objects.get(reference=reference).status == Status.NEW


def test_the_list_filters_the_open_problems_as_the_problem_list_page_does(area, kapolsek):
    open_ones = {
        ProblemFactory(village=area.village, status=status).reference
        for status in (Status.NEW, Status.ANALYSIS, Status.REOPENED)
    }
    ProblemFactory(village=area.village, status=Status.RESOLVED)
    ProblemFactory(village=area.village, status=Status.REJECTED)
    client = client_for(kapolsek)
    response = client.get(URL, {"status": "open"})
    assert response.status_code == 200, response.json()
    assert {row["reference"] for row in response.json()["results"]} == open_ones
    resolved = client.get(URL, {"status": Status.RESOLVED}).json()["results"]
    assert [row["status"] for row in resolved] == [Status.RESOLVED]


def test_the_list_makes_the_same_number_of_queries_for_1_and_for_20_problems(area, officer):
    # Expected: the session-less token lookup (1), the scope's assignments inside the
    # problem query, the count (1) and the page (1).
    client = client_for(officer)
    ProblemFactory(village=area.village)
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    ProblemFactory.create_batch(19, village=area.village)
    with CaptureQueriesContext(connection) as twenty:
        assert len(client.get(URL).json()["results"]) == 20
    assert len(one) == len(twenty)


def test_a_problems_record_lists_its_photos_and_their_thumbnails(area, officer):
    problem = ProblemFactory(village=area.village, is_private=False)
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "JPEG")
    photo = ProblemPhoto.objects.create(
        problem=problem, image=ContentFile(buffer.getvalue(), "a.jpg"), is_public=False
    )
    record = client_for(officer).get(f"{URL}{problem.reference}/").json()
    assert [url.split("testserver")[1] for url in record["photos"]] == [
        reverse("issues:photo", args=[photo.pk])
    ]
    assert [url.split("testserver")[1] for url in record["photo_thumbnails"]] == [
        reverse("issues:photo_small", args=[photo.pk])
    ]
    # Not shown to the public: a police photo of a public problem.
    assert client_for().get(f"{URL}{problem.reference}/").json()["photo_thumbnails"] == []


def test_a_desa_code_with_a_nul_byte_is_an_unknown_desa_not_a_server_error(area):
    # PostgreSQL refuses NUL bytes in text: looking the desa up with one answered 500.
    response = client_for().post(
        URL,
        {"desa": "32.04\x00", "category": "pencurian", "title": "x", "description": "y"},
        format="json",
    )
    assert response.status_code == 400
    assert not Problem.objects.exists()
