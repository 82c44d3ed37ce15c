"""Optional two-factor sign-in (TOTP) for the police, and the admin behind the same door."""

import time
from types import SimpleNamespace

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal import auth as totp_auth
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.tests.factories import PASSWORD
from portal.models import AuditEvent


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(client, email):
    return client.post(reverse("account_login"), {"login": email, "password": PASSWORD})


def test_an_officer_sets_up_an_authenticator_app_from_the_portal(client, officer):
    sign_in(client, officer.email)
    page = client.get(reverse("landing")).content.decode()
    assert reverse("mfa_index") in page
    # Setting up a second factor asks for the password again first.
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    client.post(asked["Location"], {"password": PASSWORD})
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200
    assert b"svg" in setup.content or b"data:image" in setup.content  # the QR code


def test_with_two_factor_on_the_password_alone_does_not_sign_in(client, officer):
    secret = generate_totp_secret()
    TOTP.activate(officer, secret)
    response = sign_in(client, officer.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("landing")).status_code == 302  # not signed in yet

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert client.get(reverse("landing")).status_code == 302
    # The wrong code is in the audit trail, against the account whose password was right.
    (failed,) = AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN_FAILED)
    assert failed.target_id == str(officer.pk) and failed.details["step"] == "second_factor"

    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert client.get(reverse("landing")).status_code == 200


def test_the_recovery_codes_links_look_like_buttons(client, officer):
    secret = generate_totp_secret()
    TOTP.activate(officer, secret)
    RecoveryCodes.activate(officer)
    sign_in(client, officer.email)
    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    page = client.get(reverse("mfa_view_recovery_codes"))
    if page.status_code == 302:  # allauth asks for the password again first
        client.post(page["Location"], {"password": PASSWORD})
        page = client.get(reverse("mfa_view_recovery_codes"))
    html = page.content.decode()
    for name in ("mfa_download_recovery_codes", "mfa_generate_recovery_codes"):
        assert f'class="button secondary action-link" href="{reverse(name)}"' in html


def test_signing_in_rotates_the_session_and_signing_out_ends_it(client, officer):
    client.get(reverse("account_login"))
    before = client.session.session_key
    sign_in(client, officer.email)
    after = client.session.session_key
    assert after and after != before
    client.post(reverse("account_logout"))
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=after).exists()


def test_the_admin_login_goes_through_the_portals_sign_in(client, db):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_admin_never_shows_an_authenticators_secret_nor_an_api_token(client, officer, operator):
    secret = generate_totp_secret()
    authenticator = TOTP.activate(officer, secret).instance
    token = Token.objects.create(user=officer)
    client.force_login(operator)
    pages = [
        reverse("admin:accounts_secondfactor_changelist"),
        reverse("admin:accounts_secondfactor_change", args=[authenticator.pk]),
        reverse("admin:authtoken_tokenproxy_changelist"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert secret not in response.content.decode()
        assert token.key not in response.content.decode()
    assert officer.name in client.get(pages[2]).content.decode()  # who holds one, though
    for name in ("change", "delete", "history"):
        url = reverse(f"admin:authtoken_tokenproxy_{name}", args=[officer.pk])  # by user
        assert client.get(url).status_code == 403, name
    client.post(pages[1], {"user": officer.pk, "type": "totp", "data": '{"secret": "X"}'})
    authenticator.refresh_from_db()
    assert authenticator.data["secret"] == secret
    # A lost phone: the operator removes the authenticator, and the trail says so.
    client.post(
        reverse("admin:accounts_secondfactor_delete", args=[authenticator.pk]), {"post": "yes"}
    )
    assert not Authenticator.objects.filter(pk=authenticator.pk).exists()
    (removed,) = AuditEvent.objects.filter(action=AuditEvent.Action.SECOND_FACTOR_REMOVED)
    assert (removed.actor, removed.target_id, removed.details) == (
        operator,
        str(officer.pk),
        {"kind": "totp"},
    )


def test_the_admin_names_the_second_factors_in_the_users_language(client, officer, operator):
    TOTP.activate(officer, generate_totp_secret())
    client.force_login(operator)
    url = reverse("admin:accounts_secondfactor_changelist")
    page = client.get(url).content.decode()
    assert "Masuk dua langkah" in page and "Aplikasi autentikator" in page
    assert "uthenticator" not in page and officer.name in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Two-factor sign-ins" in client.get(url).content.decode()


def test_the_code_page_says_a_recovery_code_works_too_and_one_does(client, officer):
    TOTP.activate(officer, generate_totp_secret())
    codes = RecoveryCodes.activate(officer).get_unused_codes()
    sign_in(client, officer.email)
    page = client.get(reverse("mfa_authenticate"))  # in Indonesian, the default
    assert "kode pemulihan" in page.content.decode()
    client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert client.get(reverse("landing")).status_code == 200


def test_a_code_that_signed_in_once_is_refused_the_second_time(client, officer, monkeypatch):
    # allauth marks a used code in the cache for its 30 seconds: a code read over someone's
    # shoulder cannot open a second session. The clock stands still, so that only the mark
    # can refuse the code.
    frozen = time.time()
    monkeypatch.setattr(totp_auth, "time", SimpleNamespace(time=lambda: frozen))
    secret = generate_totp_secret()
    TOTP.activate(officer, secret)
    code = format_hotp_value(hotp_value(secret, int(frozen) // 30))
    sign_in(client, officer.email)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert client.get(reverse("landing")).status_code == 200

    client.logout()
    sign_in(client, officer.email)
    again = client.post(reverse("mfa_authenticate"), {"code": code})
    assert again.status_code == 200  # the form again, with its error
    assert client.get(reverse("landing")).status_code == 302
    # Without the mark the same code is good: it was refused as used, not as expired.
    cache.clear()
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert client.get(reverse("landing")).status_code == 200
