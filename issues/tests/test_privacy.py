"""An anonymous reporter's rights under UU 27/2022 through the tracking code: download what the
portal holds about the report, and withdraw the personal data in it."""

import json

import pytest
from django.urls import reverse

from issues.models import Feedback, ProblemEvent
from issues.privacy import problem_reporter_withdraw
from issues.tests.factories import TRACKING_CODE, ProblemFactory
from issues.workflow import Status
from portal.models import AuditEvent


@pytest.fixture
def report(area, officer):
    problem = ProblemFactory(
        village=area.village, contact_phone="0812 1111 2222", status=Status.RESOLVED
    )
    ProblemEvent.objects.create(
        problem=problem, kind="information", by_reporter=True, note="Motornya merah"
    )
    ProblemEvent.objects.create(
        problem=problem, kind="comment", actor=officer, note="Saksi: Bu Ani, warung depan"
    )
    Feedback.objects.create(problem=problem, solved=False, rating=2, comment="Lambat")
    return problem


def url(name, problem, code=TRACKING_CODE):
    return reverse(f"issues:{name}", args=[problem.reference, code])


def test_the_tracking_page_offers_the_download_and_the_withdrawal(client, report):
    page = client.get(url("track", report)).content.decode()
    assert url("track_data", report) in page and url("track_withdraw", report) in page


def test_the_reporter_downloads_the_reports_data_as_a_json_attachment(client, report):
    response = client.get(url("track_data", report))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)["problem"]
    assert data["reference"] == report.reference
    assert data["contact"] == {
        "name": "Pak Ujang",
        "phone": "0812 1111 2222",
        "email": "ujang@example.org",
    }
    assert [e["note"] for e in data["events"]] == ["Motornya merah"]
    assert data["feedback"][0]["comment"] == "Lambat"
    # In the trail: when and from where the code was used, not what was handed over.
    (event,) = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED)
    assert (event.actor, event.target_ref, event.details) == (
        None,
        report.reference,
        {"kind": "reporter_data"},
    )


def test_the_reporter_withdraws_their_personal_data_and_the_report_stays(client, report):
    response = client.post(url("track_withdraw", report))
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.contact_name, report.contact_phone, report.contact_email) == ("", "", "")
    assert report.status == Status.RESOLVED
    assert report.events.filter(note="Motornya merah").exists()  # the report's substance
    feedback = report.feedback.get()
    assert (feedback.solved, feedback.rating, feedback.comment) == (False, 2, "")


def test_the_withdrawal_asks_for_confirmation_first(client, report):
    response = client.get(url("track_withdraw", report))
    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    report.refresh_from_db()
    assert report.contact_phone == "0812 1111 2222"


def test_withdrawing_through_the_code_takes_the_report_out_of_the_account(area, resident):
    problem = ProblemFactory(village=area.village, reporter=resident, reporter_named=True)
    ProblemEvent.objects.create(
        problem=problem, kind="information", actor=resident, by_reporter=True, note="Tambahan"
    )
    problem_reporter_withdraw(problem=problem)
    problem_reporter_withdraw(problem=problem)  # twice: harmless
    problem.refresh_from_db()
    assert problem.reporter is None and not problem.reporter_named
    assert problem.events.get(note="Tambahan").actor is None
    resident.refresh_from_db()
    assert resident.is_active  # the account itself is the resident's to close


@pytest.mark.parametrize("name", ["track_data", "track_withdraw"])
def test_a_wrong_tracking_code_gets_404(client, report, name):
    assert client.get(url(name, report, code="WRONG-CODE1")).status_code == 404


def test_a_wrong_tracking_code_cannot_withdraw(client, report):
    assert client.post(url("track_withdraw", report, code="WRONG-CODE1")).status_code == 404
    report.refresh_from_db()
    assert report.contact_phone == "0812 1111 2222"


def test_a_code_opens_only_its_own_report(client, area, report):
    other = ProblemFactory(village=area.village)
    other.tracking_code_hash = "0" * 64
    other.save(update_fields=["tracking_code_hash"])
    assert client.get(url("track_data", other)).status_code == 404


def test_guessing_codes_is_slowed_down(client, report):
    for _ in range(30):
        client.get(url("track_data", report, code="WRONG-CODE1"))
    assert client.get(url("track_data", report)).status_code == 429


def test_a_signed_in_reporter_is_pointed_to_my_data(client, area, resident):
    problem = ProblemFactory(village=area.village, reporter=resident)
    client.force_login(resident)
    page = client.get(reverse("issues:detail", args=[problem.reference])).content.decode()
    assert reverse("accounts:my_data") in page
    assert "/data/" not in page
