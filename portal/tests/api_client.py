"""What the API tests of every app share: a client signed in with a real token, in a language."""

from django.conf import settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def client_for(user=None, *, language: str = "") -> APIClient:
    """An API client as `user` (anonymous when None), with a token as an app would use."""
    client = APIClient()
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def ids(response) -> set[int]:
    """The ids of a list page's rows; the page must have been served."""
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}
