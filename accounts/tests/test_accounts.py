import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory


def sign_up(client, **extra):
    data = {
        "email": "siti@example.org",
        "name": "Siti Aminah",
        "password1": "kopi-tubruk-pagi-hari",
        "password2": "kopi-tubruk-pagi-hari",
        **extra,
    }
    return client.post(reverse("account_signup"), data)


def test_a_resident_signs_up_and_must_verify_the_address(client, db):
    response = sign_up(client)
    assert response.status_code == 302
    user = User.objects.get(email="siti@example.org")
    assert user.role == User.Role.RESIDENT
    assert user.name == "Siti Aminah"
    assert not user.is_staff
    assert len(mail.outbox) == 1
    # Not signed in until the address is verified.
    assert client.get(reverse("landing")).status_code == 302


def test_verifying_the_address_signs_the_resident_in(client, db):
    sign_up(client)
    key = re.search(r"/accounts/confirm-email/([^/]+)/", mail.outbox[0].body).group(1)
    response = client.post(reverse("account_confirm_email", args=[key]))
    assert response.status_code == 302
    assert client.get(reverse("landing")).status_code == 200


def test_sign_up_cannot_choose_a_police_role(client, db):
    sign_up(client, role=User.Role.OPERATOR, is_staff="on", is_superuser="on")
    user = User.objects.get(email="siti@example.org")
    assert user.role == User.Role.RESIDENT
    assert not user.is_staff and not user.is_superuser


def test_sign_up_refuses_a_common_password(client, db):
    response = sign_up(client, password1="password123", password2="password123")
    assert response.status_code == 200
    assert not User.objects.filter(email="siti@example.org").exists()


def test_sign_in_and_sign_out(client, db):
    user = UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("landing")).status_code == 200
    client.post(reverse("account_logout"))
    assert client.get(reverse("landing")).status_code == 302


def test_sign_in_rotates_the_session_key(client, db):
    user = UserFactory()
    client.get(reverse("account_login"))
    client.session.save()
    before = client.session.session_key
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert client.session.session_key != before


def test_password_reset_sends_a_mail(client, db):
    user = UserFactory()
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_repeated_failed_sign_ins_are_rate_limited(client, db, settings):
    user = UserFactory()
    for _ in range(6):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong-one"})
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 200  # refused: the form is shown again
    assert client.get(reverse("landing")).status_code == 302


def test_resident_chooses_their_desa(client, area, resident):
    client.force_login(resident)
    response = client.post(reverse("accounts:choose_village"), {"village": area.village_b.code})
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.village == area.village_b


def test_choosing_an_unknown_desa_changes_nothing(client, area, resident):
    client.force_login(resident)
    response = client.post(reverse("accounts:choose_village"), {"village": "99.99"}, follow=True)
    resident.refresh_from_db()
    assert resident.village == area.village
    assert "tidak ditemukan" in response.content.decode()


def test_an_officer_cannot_choose_a_home_desa(client, area, officer):
    client.force_login(officer)
    client.post(reverse("accounts:choose_village"), {"village": area.village_b.code})
    officer.refresh_from_db()
    assert officer.village is None


@pytest.mark.parametrize("method", ["get"])
def test_choosing_a_desa_needs_post(client, area, resident, method):
    client.force_login(resident)
    assert client.get(reverse("accounts:choose_village")).status_code == 405


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_administration_names_each_section_once(client, operator, language):
    # allauth's e-mail addresses and the portal's users were both under "Akun" / "Accounts".
    client.force_login(operator)
    client.cookies["django_language"] = language
    sections = [app["name"] for app in client.get("/admin/").context["app_list"]]
    assert len(sections) == len(set(sections)), sections
