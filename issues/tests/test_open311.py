"""Open311 GeoReport v2 at /open311/v2/, field by field against the spec
(http://wiki.open311.org/GeoReport_v2): only public problems, never a reporter's identity, and
filing through the web form's validation and rate limit."""

import datetime
import xml.etree.ElementTree as ET
import zoneinfo
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from issues import services
from issues.models import BlockedContact, Category, Problem, ProblemEvent, ProblemPhoto
from issues.tests.factories import ProblemFactory
from issues.workflow import Status

BASE = "/open311/v2/"
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
SERVICE_FIELDS = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def get_json(client, path, **params):
    response = client.get(BASE + path, params)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response, response.json()


def get_xml(client, path, **params):
    response = client.get(BASE + path, params)
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return response, ET.fromstring(response.content)


def as_xml_text(value) -> str:
    """How the spec's XML writes a JSON value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def public_problem(area, **fields):
    defaults = {
        "village": area.village,
        "location_text": "RT 03 RW 02",
        "latitude": Decimal("-6.938200"),
        "longitude": Decimal("107.720500"),
    }
    return ProblemFactory(**{**defaults, **fields})


def filing_data(area, **extra):
    data = {
        "service_code": "pencurian",
        "address_id": area.village.code,
        "description": "Motor hilang di depan masjid\nPelakunya dua orang, Pak Dedi melihatnya.",
        "address_string": "Jl. Raya Cileunyi, RT 03 RW 02",
        "lat": "-6.93820012345",
        "long": "107.72050098765",
        "first_name": "Ujang",
        "last_name": "Suryana",
        "phone": "0812 3456 7890",
        "email": "ujang.suryana@example.org",
        "attribute[consent]": "true",
        "api_key": "whatever",
        "media_url": "http://example.org/photo.jpg",
    }
    data.update(extra)
    return data


# --- Discovery ---------------------------------------------------------------------------------


def test_discovery_describes_the_production_v2_endpoint_in_json(client, db):
    response, body = get_json(client, "discovery.json")
    assert response.status_code == 200
    assert set(body) == {"changeset", "contact", "key_service", "endpoints"}
    assert body["changeset"]
    assert "http://testserver/" in body["contact"]
    assert body["key_service"]
    assert body["endpoints"] == [
        {
            "specification": "http://wiki.open311.org/GeoReport_v2",
            "url": "http://testserver/open311/v2/",
            "changeset": body["changeset"],
            "type": "production",
            "formats": ["application/json", "text/xml"],
        }
    ]


def test_discovery_in_xml_has_the_same_fields(client, db):
    _response, body = get_json(client, "discovery.json")
    response, root = get_xml(client, "discovery.xml")
    assert response.status_code == 200
    assert root.tag == "discovery"
    assert root.findtext("changeset") == body["changeset"]
    assert root.findtext("contact") == body["contact"]
    assert root.findtext("key_service") == body["key_service"]
    endpoints = root.findall("endpoints/endpoint")
    assert len(endpoints) == 1
    assert endpoints[0].findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoints[0].findtext("url") == "http://testserver/open311/v2/"
    assert endpoints[0].findtext("type") == "production"
    assert [f.text for f in endpoints[0].findall("formats/format")] == [
        "application/json",
        "text/xml",
    ]


# --- Services ----------------------------------------------------------------------------------


def test_services_are_the_active_categories_with_the_spec_fields(client, db):
    Category.objects.filter(code="perjudian").update(is_active=False)
    response, body = get_json(client, "services.json")
    assert response.status_code == 200
    assert [s["service_code"] for s in body] == list(
        Category.objects.filter(is_active=True).values_list("code", flat=True)
    )
    assert "perjudian" not in {s["service_code"] for s in body}
    theft = next(s for s in body if s["service_code"] == "pencurian")
    assert list(theft) == SERVICE_FIELDS
    assert theft == {
        "service_code": "pencurian",
        "service_name": "Pencurian",
        "description": "Pencurian",
        "metadata": True,
        "type": "realtime",
        "keywords": "Pencurian, Theft, pencurian",
        "group": "Kamtibmas",
    }


def test_an_always_private_category_is_listed_and_says_its_reports_are_never_public(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _response, body = get_json(client, "services.json")
    kdrt = next(s for s in body if s["service_code"] == "kdrt")
    assert kdrt["service_name"] == "Domestic violence"
    assert "never public" in kdrt["description"]
    theft = next(s for s in body if s["service_code"] == "pencurian")
    assert theft["service_name"] == "Theft"
    assert "never public" not in theft["description"]


def test_services_in_xml_have_the_same_fields(client, db):
    _response, body = get_json(client, "services.json")
    response, root = get_xml(client, "services.xml")
    assert response.status_code == 200
    assert root.tag == "services"
    services_xml = root.findall("service")
    assert len(services_xml) == len(body)
    for element, service in zip(services_xml, body, strict=True):
        assert [child.tag for child in element] == SERVICE_FIELDS
        for field in SERVICE_FIELDS:
            assert element.findtext(field) == as_xml_text(service[field])


def test_a_service_definition_asks_for_the_reporters_consent(client, db):
    response, body = get_json(client, "services/pencurian.json")
    assert response.status_code == 200
    assert body["service_code"] == "pencurian"
    [consent] = body["attributes"]
    assert consent["code"] == "consent"
    assert consent["variable"] is True
    assert consent["datatype"] == "singlevaluelist"
    assert consent["required"] is True
    assert consent["order"] == 1
    assert "27 of 2022" in consent["description"] or "27 Tahun 2022" in consent["description"]
    assert consent["values"] == [{"key": "true", "name": consent["values"][0]["name"]}]
    assert set(consent) == {
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    }


def test_a_service_definition_in_xml(client, db):
    response, root = get_xml(client, "services/kdrt.xml")
    assert response.status_code == 200
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "kdrt"
    [attribute] = root.findall("attributes/attribute")
    assert attribute.findtext("code") == "consent"
    assert attribute.findtext("required") == "true"
    assert attribute.findtext("datatype") == "singlevaluelist"
    assert [v.findtext("key") for v in attribute.findall("values/value")] == ["true"]


@pytest.mark.parametrize("code", ["tidak-ada", "perjudian"])
def test_an_unknown_or_inactive_service_code_gets_404_in_the_standard_format(client, db, code):
    Category.objects.filter(code="perjudian").update(is_active=False)
    response, body = get_json(client, f"services/{code}.json")
    assert response.status_code == 404
    assert body == [{"code": 404, "description": body[0]["description"]}]
    assert body[0]["description"]
    response, root = get_xml(client, f"services/{code}.xml")
    assert response.status_code == 404
    assert root.tag == "errors"
    assert root.findtext("error/code") == "404"
    assert root.findtext("error/description") == body[0]["description"]


# --- Requests: reading -------------------------------------------------------------------------


def test_a_public_problem_is_a_service_request_field_by_field(client, area):
    problem = public_problem(area, title="Motor hilang di pos ronda", status=Status.ANALYSIS)
    response, body = get_json(client, "requests.json")
    assert response.status_code == 200
    assert len(body) == 1
    assert list(body[0]) == REQUEST_FIELDS
    problem.refresh_from_db()
    assert body[0] == {
        "service_request_id": problem.reference,
        "status": "open",
        "status_notes": "",
        "service_name": "Pencurian",
        "service_code": "pencurian",
        "description": "Motor hilang di pos ronda",
        "agency_responsible": "Polsek Cileunyi",
        "service_notice": "",
        "requested_datetime": problem.created_at.astimezone(WIB).isoformat(timespec="seconds"),
        "updated_datetime": problem.updated_at.astimezone(WIB).isoformat(timespec="seconds"),
        "expected_datetime": None,
        # Neither the place the reporter described nor the map point: the privacy notice.
        "address": "Desa Cileunyi Kulon",
        "address_id": "32.04.05.2001",
        "zipcode": "",
        "lat": None,
        "long": None,
        "media_url": "",
    }
    assert body[0]["requested_datetime"].endswith("+07:00")


def test_the_description_is_the_public_title_never_the_full_text(client, area):
    public_problem(area, title="Motor hilang", description="Pak Dedi bin Ahmad mencurinya.")
    _response, body = get_json(client, "requests.json")
    assert body[0]["description"] == "Motor hilang"
    assert "Dedi" not in str(body)


def test_a_problem_without_a_map_point_has_null_coordinates(client, area):
    public_problem(area, latitude=None, longitude=None, location_text="")
    _response, body = get_json(client, "requests.json")
    assert body[0]["lat"] is None
    assert body[0]["long"] is None
    assert body[0]["address"] == "Desa Cileunyi Kulon"
    _response, root = get_xml(client, "requests.xml")
    assert root.findtext("request/lat") == ""
    assert root.findtext("request/long") == ""


def test_requests_in_xml_have_the_same_fields_as_in_json(client, area):
    public_problem(area)
    public_problem(area, status=Status.RESOLVED)
    _response, body = get_json(client, "requests.json")
    response, root = get_xml(client, "requests.xml")
    assert response.status_code == 200
    assert root.tag == "service_requests"
    requests = root.findall("request")
    assert len(requests) == len(body) == 2
    for element, request in zip(requests, body, strict=True):
        assert [child.tag for child in element] == REQUEST_FIELDS
        for field in REQUEST_FIELDS:
            assert element.findtext(field) == as_xml_text(request[field]), field


def test_requests_are_listed_newest_first(client, area):
    now = timezone.now()
    old = public_problem(area, created_at=now - datetime.timedelta(days=3))
    new = public_problem(area, created_at=now - datetime.timedelta(hours=1))
    _response, body = get_json(client, "requests.json")
    assert [r["service_request_id"] for r in body] == [new.reference, old.reference]


def test_a_single_request_is_a_list_of_one_in_both_formats(client, area):
    problem = public_problem(area)
    public_problem(area)
    response, body = get_json(client, f"requests/{problem.reference}.json")
    assert response.status_code == 200
    assert [r["service_request_id"] for r in body] == [problem.reference]
    assert list(body[0]) == REQUEST_FIELDS
    response, root = get_xml(client, f"requests/{problem.reference}.xml")
    assert root.tag == "service_requests"
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [
        problem.reference
    ]


def test_a_single_request_is_shown_even_when_older_than_90_days(client, area):
    problem = public_problem(area, created_at=timezone.now() - datetime.timedelta(days=400))
    response, _body = get_json(client, f"requests/{problem.reference}.json")
    assert response.status_code == 200


def test_private_and_hidden_problems_never_appear(client, area):
    shown = public_problem(area)
    private = public_problem(area, is_private=True, title="Rahasia keluarga")
    kdrt = public_problem(
        area, category=Category.objects.get(code="kdrt"), is_private=True, title="KDRT di RT 05"
    )
    # Filed before the category became always private: still never public.
    legacy = public_problem(
        area, category=Category.objects.get(code="kekerasan-seksual"), title="Lama sekali"
    )
    hidden = public_problem(area, is_hidden=True, title="Disembunyikan operator")
    _response, body = get_json(client, "requests.json")
    assert [r["service_request_id"] for r in body] == [shown.reference]
    ids = ",".join(p.reference for p in (private, kdrt, legacy, hidden))
    _response, body = get_json(client, "requests.json", service_request_id=ids)
    assert body == []
    for problem in (private, kdrt, legacy, hidden):
        response, body = get_json(client, f"requests/{problem.reference}.json")
        assert response.status_code == 404
        assert body[0]["code"] == 404
        response, root = get_xml(client, f"requests/{problem.reference}.xml")
        assert response.status_code == 404
        assert root.findtext("error/code") == "404"
        assert problem.title not in response.content.decode()


def test_an_unknown_request_id_gets_404_in_the_standard_format(client, db):
    response, body = get_json(client, "requests/KMT-2026-999999.json")
    assert response.status_code == 404
    assert body == [{"code": 404, "description": body[0]["description"]}]


def test_no_reporter_identity_appears_anywhere(client, area, resident):
    resident.name = "Siti Rahmawati"
    resident.save()
    signed = public_problem(area, reporter=resident, reporter_named=True)
    anonymous = public_problem(
        area,
        contact_name="Pak Ujang Suryana",
        contact_phone="0812 9999 8888",
        contact_email="ujang.suryana@example.org",
    )
    ProblemEvent.objects.create(
        problem=anonymous,
        kind=ProblemEvent.Kind.INFORMATION,
        by_reporter=True,
        note="Nomor saya 0812 9999 8888",
    )
    for path in (
        "requests.json",
        "requests.xml",
        f"requests/{signed.reference}.json",
        f"requests/{anonymous.reference}.xml",
    ):
        page = client.get(BASE + path).content.decode()
        for secret in (
            "Siti",
            "resident@example.org",
            "Ujang",
            "0812",
            "ujang.suryana@example.org",
            "reporter",
            "contact",
            "email",
            "phone",
        ):
            assert secret not in page, (path, secret)


def test_status_notes_are_the_latest_public_note_only(client, area, officer):
    problem = public_problem(area)
    services.problem_transition(
        actor=officer, problem=problem, to_status="verified", is_public=True, note="Sudah dicek"
    )
    services.problem_comment(
        actor=officer, problem=problem, note="Catatan internal: pelaku Pak Dedi"
    )
    hidden = services.problem_comment(
        actor=officer, problem=problem, note="Catatan publik yang disembunyikan", is_public=True
    )
    ProblemEvent.objects.filter(pk=hidden.pk).update(is_hidden=True)
    _response, body = get_json(client, f"requests/{problem.reference}.json")
    assert body[0]["status_notes"] == "Sudah dicek"
    services.problem_comment(
        actor=officer, problem=problem, note="Pertemuan warga Jumat", is_public=True
    )
    _response, body = get_json(client, f"requests/{problem.reference}.json")
    assert body[0]["status_notes"] == "Pertemuan warga Jumat"


def test_media_url_is_the_absolute_url_of_the_first_photo(client, area):
    problem = public_problem(area)
    start = timezone.now()

    def photo(name, minutes, *, is_public):
        return ProblemPhoto.objects.create(
            problem=problem,
            image=f"problems/2026/12/{name}.jpg",
            width=64,
            height=48,
            is_public=is_public,
            created_at=start + datetime.timedelta(minutes=minutes),
        )

    # Added later by an officer, for the police only: never a public media_url.
    photo("internal", 0, is_public=False)
    first = photo("a", 1, is_public=True)
    photo("b", 2, is_public=True)
    _response, body = get_json(client, "requests.json")
    assert body[0]["media_url"] == "http://testserver" + reverse("issues:photo", args=[first.pk])


# --- Requests: filters -------------------------------------------------------------------------


def references(body) -> set[str]:
    return {r["service_request_id"] for r in body}


def test_requests_filter_by_status_open_or_closed(client, area):
    opened = public_problem(area, status=Status.RESPONSE)
    reopened = public_problem(area, status=Status.REOPENED)
    resolved = public_problem(area, status=Status.RESOLVED)
    rejected = public_problem(area, status=Status.REJECTED)
    _response, body = get_json(client, "requests.json", status="open")
    assert references(body) == {opened.reference, reopened.reference}
    assert {r["status"] for r in body} == {"open"}
    _response, body = get_json(client, "requests.json", status="closed")
    assert references(body) == {resolved.reference, rejected.reference}
    assert {r["status"] for r in body} == {"closed"}
    _response, body = get_json(client, "requests.json", status="open,closed")
    assert len(body) == 4


def test_an_unknown_status_is_a_400(client, db):
    response, body = get_json(client, "requests.json", status="pending")
    assert response.status_code == 400
    assert body[0]["code"] == 400


def test_requests_filter_by_service_code(client, area):
    theft = public_problem(area)
    drugs = public_problem(area, category=Category.objects.get(code="narkoba"))
    public_problem(area, category=Category.objects.get(code="tawuran"))
    _response, body = get_json(client, "requests.json", service_code="pencurian")
    assert references(body) == {theft.reference}
    _response, body = get_json(client, "requests.json", service_code="pencurian,narkoba")
    assert references(body) == {theft.reference, drugs.reference}


def test_requests_default_to_the_last_90_days(client, area):
    now = timezone.now()
    recent = public_problem(area, created_at=now - datetime.timedelta(days=89))
    public_problem(area, created_at=now - datetime.timedelta(days=91))
    _response, body = get_json(client, "requests.json")
    assert references(body) == {recent.reference}


def test_requests_filter_by_start_and_end_date(client, area):
    def at(day):
        return datetime.datetime(2026, 3, day, 10, 0, tzinfo=WIB)

    public_problem(area, created_at=at(1))
    march_5 = public_problem(area, created_at=at(5))
    march_9 = public_problem(area, created_at=at(9))
    public_problem(area, created_at=at(20))
    _response, body = get_json(
        client,
        "requests.json",
        start_date="2026-03-02T00:00:00+07:00",
        end_date="2026-03-10T00:00:00Z",
    )
    assert references(body) == {march_5.reference, march_9.reference}
    # Only a start: the 90 days that follow it.
    _response, body = get_json(client, "requests.json", start_date="2026-03-08T00:00:00+07:00")
    assert len(body) == 2
    # Only an end: the 90 days before it.
    _response, body = get_json(client, "requests.json", end_date="2026-03-06T00:00:00+07:00")
    assert len(body) == 2


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "kemarin"},
        {"end_date": "2026-13-45T00:00:00Z"},
        {"start_date": "2026-03-10T00:00:00Z", "end_date": "2026-03-01T00:00:00Z"},
        {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
    ],
)
def test_bad_dates_are_a_400_in_the_standard_format(client, db, params):
    response, body = get_json(client, "requests.json", **params)
    assert response.status_code == 400
    assert body == [{"code": 400, "description": body[0]["description"]}]
    response, root = get_xml(client, "requests.xml", **params)
    assert response.status_code == 400
    assert root.findtext("error/code") == "400"


def test_requests_filter_by_service_request_ids_and_ignore_other_filters(client, area):
    old = public_problem(
        area, created_at=timezone.now() - datetime.timedelta(days=200), status=Status.RESOLVED
    )
    other = public_problem(area)
    public_problem(area)
    _response, body = get_json(
        client,
        "requests.json",
        service_request_id=f"{old.reference}, {other.reference.lower()}",
        status="open",
    )
    assert references(body) == {old.reference, other.reference}


def test_requests_stop_at_the_cap(client, area, monkeypatch):
    monkeypatch.setattr("issues.open311.selectors.MAX_REQUESTS", 2)
    now = timezone.now()
    newest = [public_problem(area, created_at=now - datetime.timedelta(hours=h)) for h in (1, 2)]
    public_problem(area, created_at=now - datetime.timedelta(hours=3))
    _response, body = get_json(client, "requests.json")
    assert [r["service_request_id"] for r in body] == [p.reference for p in newest]


def _problems_with_notes_and_photos(area, officer, count):
    for _ in range(count):
        problem = public_problem(area)
        services.problem_transition(
            actor=officer, problem=problem, to_status="verified", is_public=True, note="Dicek"
        )
        ProblemPhoto.objects.create(
            problem=problem, image="problems/x.jpg", width=1, height=1, is_public=True
        )


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_request_list_costs_the_same_queries_for_1_and_20_problems(client, area, officer, fmt):
    # Expected: the problems with category, desa and Polsek; their public events; their
    # photos. No session or user query: the caller is anonymous.
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{BASE}requests.{fmt}")
        assert response.status_code == 200
        return len(queries)

    _problems_with_notes_and_photos(area, officer, 1)
    one = count()
    _problems_with_notes_and_photos(area, officer, 19)
    assert count() == one == 3


# --- Requests: filing --------------------------------------------------------------------------


def test_a_problem_filed_through_open311_is_followed_to_its_resolution(client, area, officer):
    response = client.post(BASE + "requests.json", filing_data(area))
    assert response.status_code == 200, response.content
    [filed] = response.json()
    assert set(filed) == {"service_request_id", "service_notice", "account_id", "token"}
    assert filed["account_id"] is None
    assert filed["token"] is None
    problem = Problem.objects.get()
    assert filed["service_request_id"] == problem.reference
    assert problem.source == Problem.Source.OPEN311
    assert problem.reporter is None
    assert problem.title == "Motor hilang di depan masjid"
    assert problem.description.startswith("Motor hilang di depan masjid\nPelakunya")
    assert problem.location_text == "Jl. Raya Cileunyi, RT 03 RW 02"
    assert (problem.latitude, problem.longitude) == (Decimal("-6.938200"), Decimal("107.720501"))
    assert problem.contact_name == "Ujang Suryana"
    assert problem.contact_phone == "0812 3456 7890"
    assert problem.contact_email == "ujang.suryana@example.org"
    assert problem.consent_at is not None
    assert not problem.is_private

    # The tracking link in the notice is the reporter's way back to the problem.
    link = filed["service_notice"].split("http://testserver", 1)[1].split()[0]
    assert client.get(link).status_code == 200

    desa_page = client.get(reverse("territory:village_detail", args=[area.village.code]))
    assert "Motor hilang di depan masjid" in desa_page.content.decode()

    officers = Client()
    officers.force_login(officer)
    assert problem.reference in officers.get(reverse("issues:list")).content.decode()

    services.problem_transition(
        actor=officer, problem=problem, to_status="verified", is_public=True, note="Sudah dicek"
    )
    _response, body = get_json(client, f"requests/{problem.reference}.json")
    assert body[0]["status"] == "open"
    assert body[0]["status_notes"] == "Sudah dicek"
    for step in ("analysis", "response", "assessment"):
        services.problem_transition(actor=officer, problem=problem, to_status=step)
    services.problem_transition(
        actor=officer,
        problem=problem,
        to_status="resolved",
        resolution="mediation",
        is_public=True,
        note="Selesai lewat musyawarah",
    )
    _response, body = get_json(client, f"requests/{problem.reference}.json")
    assert body[0]["status"] == "closed"
    assert body[0]["status_notes"] == "Selesai lewat musyawarah"


def test_filing_answers_in_xml_too(client, area):
    response = client.post(BASE + "requests.xml", filing_data(area))
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert request.findtext("service_request_id") == Problem.objects.get().reference
    assert "http://testserver/lacak/" in request.findtext("service_notice")
    assert request.findtext("token") == ""
    assert request.findtext("account_id") == ""


def test_a_report_in_an_always_private_category_is_filed_private(client, area):
    response = client.post(BASE + "requests.json", filing_data(area, service_code="kdrt"))
    assert response.status_code == 200
    problem = Problem.objects.get()
    assert problem.is_private
    _response, body = get_json(client, "requests.json")
    assert body == []


def test_filing_needs_no_csrf_token(area):
    client = Client(enforce_csrf_checks=True)
    response = client.post(BASE + "requests.json", filing_data(area))
    assert response.status_code == 200
    assert Problem.objects.count() == 1


def test_a_signed_in_session_is_ignored_and_the_report_is_anonymous(client, area, resident):
    client.force_login(resident)
    response = client.post(BASE + "requests.json", filing_data(area))
    assert response.status_code == 200
    problem = Problem.objects.get()
    assert problem.reporter is None
    assert problem.contact_name == "Ujang Suryana"


@pytest.mark.parametrize(
    ("change", "param"),
    [
        ({"attribute[consent]": ""}, "attribute[consent]"),
        ({"attribute[consent]": "false"}, "attribute[consent]"),
        ({"address_id": "99.99.99.9999"}, "address_id"),
        ({"address_id": ""}, "address_id"),
        ({"service_code": "tidak-ada"}, "service_code"),
        ({"service_code": ""}, "service_code"),
        ({"description": ""}, "description"),
        ({"email": "bukan-email"}, "email"),
        ({"lat": "-6.93", "long": ""}, ""),
        ({"lat": "52.37", "long": "4.89"}, "lat"),
    ],
)
def test_bad_filing_input_is_a_400_and_files_nothing(client, area, change, param):
    response = client.post(BASE + "requests.json", filing_data(area, **change))
    assert response.status_code == 400
    [error] = response.json()
    assert error["code"] == 400
    assert param in error["description"]
    assert not Problem.objects.exists()
    response = client.post(BASE + "requests.xml", filing_data(area, **change))
    assert response.status_code == 400
    assert ET.fromstring(response.content).findtext("error/code") == "400"
    assert not Problem.objects.exists()


def test_every_input_error_is_reported_at_once(client, area):
    response = client.post(
        BASE + "requests.json",
        {"service_code": "tidak-ada", "address_id": "", "description": ""},
    )
    description = response.json()[0]["description"]
    for param in ("service_code", "address_id", "description", "attribute[consent]"):
        assert param in description
    assert description.count("description:") == 1


def test_filing_is_rate_limited_like_the_web_form(client, area, monkeypatch):
    monkeypatch.setattr("issues.views.common.FILING_PER_IP", (1, 3600))
    assert client.post(BASE + "requests.json", filing_data(area)).status_code == 200
    response = client.post(BASE + "requests.json", filing_data(area))
    assert response.status_code == 429
    assert response.json()[0]["code"] == 429
    response = client.post(BASE + "requests.xml", filing_data(area))
    assert response.status_code == 429
    assert ET.fromstring(response.content).findtext("error/code") == "429"
    assert Problem.objects.count() == 1


def test_codes_with_a_nul_byte_are_unknown_codes_not_a_server_error(client, area):
    data = {**filing_data(area), "address_id": "32.04\x00", "service_code": "pencurian\x00"}
    response = client.post(BASE + "requests.json", data)
    assert response.status_code == 400
    assert not Problem.objects.exists()


def test_a_report_from_a_blocked_contact_is_filed_hidden(client, area):
    BlockedContact.objects.create(value=BlockedContact.normalize("0812 3456 7890"))
    response = client.post(BASE + "requests.json", filing_data(area))
    assert response.status_code == 200
    problem = Problem.objects.get()
    assert problem.is_hidden
    response, _body = get_json(client, f"requests/{problem.reference}.json")
    assert response.status_code == 404


# --- Methods and paths -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("put", "requests.json", "GET, HEAD, POST"),
        ("delete", "requests.xml", "GET, HEAD, POST"),
        ("post", "services.json", "GET, HEAD"),
        ("post", "discovery.json", "GET, HEAD"),
        ("post", "requests/KMT-2026-000001.json", "GET, HEAD"),
    ],
)
def test_other_methods_get_405_in_the_standard_format(client, db, method, path, allowed):
    response = getattr(client, method)(BASE + path)
    assert response.status_code == 405
    assert response["Allow"] == allowed
    if path.endswith(".json"):
        assert response.json()[0]["code"] == 405
    else:
        assert ET.fromstring(response.content).findtext("error/code") == "405"


@pytest.mark.parametrize("path", ["requests.csv", "nothing.json", ""])
def test_an_unknown_path_gets_404_in_the_standard_format(client, db, path):
    response = client.get(BASE + path)
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404


def test_the_language_cookie_translates_messages(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _response, body = get_json(client, "services/tidak-ada.json")
    assert body[0]["description"] == "No service has this code."
