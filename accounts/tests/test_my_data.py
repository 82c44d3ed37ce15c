"""A resident's rights under UU 27/2022 through their account: see and download their data,
correct it, withdraw. Tried as the resident, another resident and an officer."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User
from accounts.services import personal_data_export
from accounts.tests.factories import PASSWORD
from forums.tests.factories import MemberFactory
from issues.models import Feedback, Notification, Problem, ProblemEvent
from issues.privacy import reporter_withdraw
from issues.tests.factories import ProblemFactory
from issues.workflow import Status
from portal.models import AuditEvent


@pytest.fixture
def report(area, resident, officer):
    """The resident's report with their own note, an officer's internal note, a public one and
    their feedback."""
    problem = ProblemFactory(
        village=area.village,
        reporter=resident,
        reporter_named=True,
        contact_phone="0812 3333 4444",
        status=Status.RESOLVED,
        title="Pencurian motor di RT 03",
    )
    ProblemEvent.objects.create(
        problem=problem, kind="information", actor=resident, by_reporter=True, note="Plat D 1234"
    )
    ProblemEvent.objects.create(
        problem=problem, kind="comment", actor=officer, note="Tersangka: Pak Budi, tetangga"
    )
    ProblemEvent.objects.create(
        problem=problem, kind="comment", actor=officer, note="Patroli malam", is_public=True
    )
    Feedback.objects.create(problem=problem, solved=True, rating=4, comment="Cepat, terima kasih")
    ProblemEvent.objects.create(
        problem=problem, kind="feedback", by_reporter=True, note="Cepat, terima kasih"
    )
    return problem


def sign_in(client, user):
    client.force_login(user)
    return client


# --- Seeing and downloading --------------------------------------------------------------------


def test_the_export_holds_the_residents_reports_and_not_another_residents(
    area, resident, other_resident, report
):
    ProblemFactory(village=area.village_b, reporter=other_resident, title="Milik orang lain")
    data = personal_data_export(user=resident)
    assert data["account"]["email"] == "resident@example.org"
    assert data["account"]["desa"]["code"] == area.village.code
    assert [p["reference"] for p in data["problems"]] == [report.reference]
    assert "Milik orang lain" not in json.dumps(data)
    assert "other.resident@example.org" not in json.dumps(data)


def test_the_export_leaves_out_officers_internal_notes(resident, report):
    problem = personal_data_export(user=resident)["problems"][0]
    notes = [event["note"] for event in problem["events"]]
    assert "Plat D 1234" in notes  # what the resident wrote
    assert "Patroli malam" in notes  # public
    assert "Tersangka: Pak Budi, tetangga" not in notes  # the police's internal record
    assert problem["feedback"][0]["comment"] == "Cepat, terima kasih"
    assert problem["contact"]["phone"] == "0812 3333 4444"


def test_the_export_lists_forum_memberships(area, resident):
    MemberFactory(forum__village=area.village, user=resident, name="Bu Sri", phone="0813")
    data = personal_data_export(user=resident)
    assert data["forum_memberships"][0]["name"] == "Bu Sri"


def test_the_resident_sees_their_data_on_the_page(client, resident, report):
    page = sign_in(client, resident).get(reverse("accounts:my_data")).content.decode()
    assert report.reference in page and "Plat D 1234" in page
    assert "Tersangka" not in page
    assert reverse("account_email") in page


def test_the_download_button_says_what_a_villager_gets_and_the_format_is_a_note(
    client, resident, report, settings
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = sign_in(client, resident).get(reverse("accounts:my_data")).content.decode()
    download = reverse("accounts:my_data_download")
    button = page.split(f'href="{download}" download>')[1].split("</a>")[0]
    assert button == "Download a copy of all my data"
    assert "One file in JSON format, for computer programs" in page


def test_the_download_is_a_json_attachment(client, resident, report):
    response = sign_in(client, resident).get(reverse("accounts:my_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content)["problems"][0]["reference"] == report.reference
    (event,) = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED)
    assert (event.actor, event.details) == (resident, {"kind": "personal_data"})


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    for name in ("accounts:my_data", "accounts:my_data_download", "accounts:withdraw"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "login" in response["Location"]


# --- Correcting --------------------------------------------------------------------------------


def test_the_resident_corrects_name_and_desa(client, area, resident):
    response = sign_in(client, resident).post(
        reverse("accounts:my_data"), {"name": "  Siti   Aminah ", "desa": area.village_b.code}
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.name == "Siti Aminah"
    assert resident.village == area.village_b


def test_the_desa_code_may_be_typed_without_dots(client, area, resident):
    # A phone's number pad often has no dot; other code fields of the portal accept digits too.
    digits = area.village_b.code.replace(".", "")
    response = sign_in(client, resident).post(
        reverse("accounts:my_data"), {"name": "Siti", "desa": f" {digits} "}
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.village == area.village_b


@pytest.mark.parametrize(
    "data",
    [{"name": "", "desa": "32.04.05.2002"}, {"name": "Siti", "desa": "99.99"}, {"name": "x" * 151}],
    ids=["empty name", "unknown desa", "name too long"],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(client, area, resident, data):
    before = (resident.name, resident.village_id)
    response = sign_in(client, resident).post(reverse("accounts:my_data"), data)
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert [str(m) for m in response.context["messages"]]
    resident.refresh_from_db()
    assert (resident.name, resident.village_id) == before


def test_an_officer_corrects_their_name_but_has_no_desa_to_choose(client, area, officer):
    page = sign_in(client, officer).get(reverse("accounts:my_data")).content.decode()
    assert 'name="desa"' not in page and reverse("accounts:withdraw") not in page
    response = client.post(
        reverse("accounts:my_data"), {"name": "Aiptu Joko", "desa": area.village_b.code}
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.name == "Aiptu Joko" and officer.village is None


# --- Withdrawing -------------------------------------------------------------------------------


def test_withdrawing_asks_for_the_password_again(client, resident, report):
    sign_in(client, resident)
    assert reverse("accounts:withdraw") in client.get(reverse("accounts:my_data")).content.decode()
    assert 'type="password"' in client.get(reverse("accounts:withdraw")).content.decode()
    response = client.post(reverse("accounts:withdraw"), {"password": "wrong"})
    assert response.status_code == 400
    resident.refresh_from_db()
    assert resident.is_active
    report.refresh_from_db()
    assert report.reporter == resident


def test_withdrawing_anonymises_the_reports_and_closes_the_account(
    client, area, resident, other_resident, report
):
    others = ProblemFactory(village=area.village_b, reporter=other_resident)
    Notification.objects.create(kind="status_changed", problem=report, recipient=resident.email)
    member = MemberFactory(forum__village=area.village, user=resident)
    sign_in(client, resident)
    response = client.post(reverse("accounts:withdraw"), {"password": PASSWORD})
    assert response.status_code == 302

    report.refresh_from_db()  # the report stays in the desa's record
    assert report.reporter is None and not report.reporter_named
    assert (report.contact_name, report.contact_phone, report.contact_email) == ("", "", "")
    assert report.title == "Pencurian motor di RT 03" and report.status == Status.RESOLVED
    own_note = report.events.get(note="Plat D 1234")
    assert own_note.actor is None and own_note.by_reporter
    feedback = report.feedback.get()
    assert (feedback.solved, feedback.rating, feedback.comment) == (True, 4, "")
    assert not report.events.filter(note="Cepat, terima kasih").exists()
    assert report.events.filter(note="Tersangka: Pak Budi, tetangga").exists()
    assert not Notification.objects.exists()

    user = User.objects.get(pk=resident.pk)
    assert not user.is_active and not user.has_usable_password()
    assert user.email == f"withdrawn-{user.pk}@invalid" and user.name == ""
    assert user.village is None
    assert not EmailAddress.objects.filter(user=user).exists()
    member.refresh_from_db()
    assert member.user is None
    # Signed out, and cannot sign in again.
    assert client.get(reverse("accounts:my_data")).status_code == 302
    assert not client.login(email="resident@example.org", password=PASSWORD)
    # Other people's reports are untouched.
    others.refresh_from_db()
    assert others.reporter == other_resident and others.contact_email == "ujang@example.org"


def test_withdrawing_twice_is_harmless(resident, report):
    first = reporter_withdraw(user=resident)
    second = reporter_withdraw(user=User.objects.get(pk=resident.pk))
    assert (first.problems, first.account_closed) == (1, True)
    assert (second.problems, second.account_closed) == (0, False)
    assert Problem.objects.filter(pk=report.pk, reporter__isnull=True).exists()


def test_a_new_account_may_use_the_address_of_a_withdrawn_one(resident):
    reporter_withdraw(user=resident)
    User.objects.create_user("resident@example.org", "another-long-password")


@pytest.mark.parametrize("role", ["officer", "kapolsek", "operator"])
def test_police_and_operators_get_403_when_withdrawing(client, request, role, report):
    user = request.getfixturevalue(role)
    sign_in(client, user)
    assert client.get(reverse("accounts:withdraw")).status_code == 403
    response = client.post(reverse("accounts:withdraw"), {"password": PASSWORD})
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.is_active


def test_another_resident_cannot_withdraw_someone_elses_reports(
    client, other_resident, resident, report
):
    sign_in(client, other_resident).post(reverse("accounts:withdraw"), {"password": PASSWORD})
    report.refresh_from_db()
    assert report.reporter == resident
