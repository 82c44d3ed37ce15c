import io

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from accounts.models import User
from officers.models import Rank
from officers.services import assignment_create, staff_account_create
from officers.tests.factories import OfficerFactory


def test_operator_creates_an_officer_with_nrp_rank_and_unit(area, operator):
    user = staff_account_create(
        actor=operator,
        email="Bhabin@Example.org",
        name="Bripka Asep",
        role=User.Role.OFFICER,
        password="secret-pass-123",
        nrp="85010203",
        rank=Rank.BRIPKA,
        unit=area.polsek,
    )
    assert user.email == "bhabin@example.org"
    assert user.officer.nrp == "85010203"
    assert user.officer.unit == area.polsek
    assert not user.is_staff
    assert EmailAddress.objects.get(user=user).verified


def test_a_police_role_needs_a_unit_of_the_right_kind(area, operator):
    with pytest.raises(ValidationError) as error:
        staff_account_create(
            actor=operator,
            email="k@example.org",
            name="K",
            role=User.Role.KAPOLSEK,
            nrp="85010204",
            rank=Rank.AKP,
            unit=area.polres,
        )
    assert "unit" in error.value.message_dict
    assert not User.objects.filter(email="k@example.org").exists()


def test_an_nrp_has_eight_digits(area, operator):
    with pytest.raises(ValidationError):
        staff_account_create(
            actor=operator,
            email="n@example.org",
            name="N",
            role=User.Role.OFFICER,
            nrp="12AB",
            rank=Rank.BRIPDA,
            unit=area.polsek,
        )
    assert not User.objects.filter(email="n@example.org").exists()


def test_only_an_operator_creates_staff_accounts(area, kapolsek):
    with pytest.raises(PermissionDenied):
        staff_account_create(
            actor=kapolsek, email="x@example.org", name="X", role=User.Role.OPERATOR
        )


def test_residents_are_not_created_as_staff(area, operator):
    with pytest.raises(ValidationError):
        staff_account_create(
            actor=operator, email="w@example.org", name="W", role=User.Role.RESIDENT
        )


def test_operator_accounts_reach_the_admin(client, area, operator):
    user = staff_account_create(
        actor=operator,
        email="op2@example.org",
        name="Op",
        role=User.Role.OPERATOR,
        password="secret-pass-123",
    )
    assert user.is_staff
    client.force_login(user)
    assert client.get("/admin/territory/village/").status_code == 200


def test_police_and_residents_do_not_reach_the_admin(client, area, polres_commander):
    client.force_login(polres_commander)
    assert client.get("/admin/").status_code == 302


def test_command_creates_a_polres_commander(area, capsys):
    call_command(
        "create_staff_account",
        "--email",
        "kapolres.baru@example.org",
        "--name",
        "AKBP Budi",
        "--role",
        "polres_commander",
        "--nrp",
        "72010002",
        "--rank",
        "akbp",
        "--unit",
        area.polres.code,
        "--password",
        "x-secret-123",
    )
    user = User.objects.get(email="kapolres.baru@example.org")
    assert user.officer.unit == area.polres
    assert user.check_password("x-secret-123")


def test_command_refuses_a_weak_password_and_creates_nothing(area):
    with pytest.raises(CommandError, match="Password: "):
        call_command(
            "create_staff_account",
            "--email=ops@example.org",
            "--name=Ops",
            "--role=operator",
            "--password=12345",
        )
    assert not User.objects.filter(email="ops@example.org").exists()


def test_command_without_a_terminal_asks_for_password_or_no_input(area, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="--no-input"):
        call_command(
            "create_staff_account", "--email=ops@example.org", "--name=O", "--role=operator"
        )
    assert not User.objects.filter(email="ops@example.org").exists()


def test_command_reports_a_bad_unit(area):
    with pytest.raises(CommandError, match="No police unit"):
        call_command(
            "create_staff_account",
            "--email",
            "a@example.org",
            "--name",
            "A",
            "--role",
            "officer",
            "--nrp",
            "72010003",
            "--rank",
            "bripka",
            "--unit",
            "NOPE",
            "--no-input",
        )


def test_a_desa_has_at_most_one_primary_officer(area, officer):
    other = OfficerFactory(unit=area.polsek)
    with pytest.raises(ValidationError):
        assignment_create(actor=None, officer=other, village=area.village, is_primary=True)
    supporting = assignment_create(
        actor=None, officer=other, village=area.village, is_primary=False
    )
    assert not supporting.is_primary


def test_an_officer_is_assigned_only_to_desa_of_their_polsek(area, officer):
    with pytest.raises(ValidationError):
        assignment_create(
            actor=None, officer=officer.officer, village=area.village_elsewhere, is_primary=False
        )


def test_the_admin_refuses_an_assignment_outside_the_polsek(client, area, officer, operator):
    client.force_login(operator)
    response = client.post(
        "/admin/officers/assignment/add/",
        {
            "officer": officer.officer.pk,
            "village": area.village_elsewhere.pk,
            "is_primary": "on",
            "starts_on": "2026-01-01",
        },
    )
    assert response.status_code == 200
    assert officer.officer.assignments.count() == 1


def test_changing_a_staff_email_in_the_admin_keeps_one_primary_address(
    client, area, operator, kapolsek
):
    client.force_login(operator)
    url = f"/admin/accounts/user/{kapolsek.pk}/change/"
    data = {
        "email": "kapolsek.baru@example.org",
        "name": kapolsek.name,
        "role": "kapolsek",
        "is_active": "on",
        "officer-TOTAL_FORMS": "1",
        "officer-INITIAL_FORMS": "1",
        "officer-MIN_NUM_FORMS": "0",
        "officer-MAX_NUM_FORMS": "1",
        "officer-0-id": kapolsek.officer.pk,
        "officer-0-user": kapolsek.pk,
        "officer-0-nrp": kapolsek.officer.nrp,
        "officer-0-rank": kapolsek.officer.rank,
        "officer-0-unit": kapolsek.officer.unit.pk,
        "officer-0-phone": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(EmailAddress.objects.filter(user=kapolsek).values_list("email", "primary")) == [
        ("kapolsek.baru@example.org", True)
    ]


def test_the_admin_names_the_unit_kind_a_role_needs_in_the_users_language(client, area, operator):
    client.force_login(operator)
    data = {
        "email": "bhabin.baru@example.org",
        "name": "Asep Saputra",
        "role": "officer",
        "usable_password": "false",
        "officer-TOTAL_FORMS": "1",
        "officer-INITIAL_FORMS": "0",
        "officer-MIN_NUM_FORMS": "0",
        "officer-MAX_NUM_FORMS": "1",
        "officer-0-nrp": "85010203",
        "officer-0-rank": "bripka",
        "officer-0-unit": area.polres.pk,  # a Bhabinkamtibmas belongs to a Polsek
    }
    response = client.post("/admin/accounts/user/add/", data, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    assert "Peran ini milik satuan berjenis Polsek." in response.content.decode()
    assert not User.objects.filter(email="bhabin.baru@example.org").exists()


def test_the_admin_refuses_an_assignment_ending_before_it_starts_in_words(
    client, area, officer, operator
):
    client.force_login(operator)
    client.cookies["django_language"] = "en"
    response = client.post(
        "/admin/officers/assignment/add/",
        {
            "officer": officer.officer.pk,
            "village": area.village_b.pk,
            "is_primary": "",
            "starts_on": "2026-02-01",
            "ends_on": "2026-01-01",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The assignment would end before it starts: check the end date." in page
    assert "assignment_ends_after_start" not in page
    assert officer.officer.assignments.count() == 1
