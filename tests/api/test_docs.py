"""The OpenAPI schema is public (clients generate code from it); the interactive docs are for
signed-in police and operators, and their assets come from the portal itself."""

import pytest
from django.urls import reverse


def test_the_schema_is_served_to_anyone(client, db):
    response = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/problems/" in schema["paths"]
    # Every operation documents its errors, not only its success.
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert "429" in operation["responses"], f"{method.upper()} {path}"


def test_anonymous_callers_are_sent_to_sign_in_for_the_interactive_docs(client, db):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_signed_in_resident_gets_404_for_the_interactive_docs(client, resident):
    # Sending a signed-in resident to sign-in looped: allauth sends them straight back.
    client.force_login(resident)
    response = client.get(reverse("api:docs"), follow=True)
    assert response.status_code == 404
    assert response.redirect_chain == []


@pytest.mark.parametrize("role", ["officer", "operator"])
def test_police_and_operators_open_the_interactive_docs(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    assert "//cdn" not in page and "unpkg" not in page  # served by the portal
