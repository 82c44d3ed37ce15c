"""An API token for an e-mail and password: for the officers' phone app and other systems.
Sign-in attempts are rate-limited like the web's, and an address not yet verified gets none."""

from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.exceptions import Throttled
from rest_framework.response import Response

from portal import ratelimit

# (limit, seconds): a person mistypes a few times; a script guessing passwords is stopped.
TOKEN_PER_IP = (10, 600)


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(max_length=128, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


@extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
@api_view(["POST"])
@permission_classes([permissions.AllowAny])
@throttle_classes([])
def obtain_token(request):
    if not ratelimit.allow(request, action="api-token", per_ip=TOKEN_PER_IP, per_user=TOKEN_PER_IP):
        raise Throttled(detail=_("Too many attempts. Please wait a while and try again."))
    serializer = TokenRequestSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    email = serializer.validated_data["email"]
    user = authenticate(request, email=email, password=serializer.validated_data["password"])
    verified = user is not None and (
        user.is_police
        or user.is_operator
        or EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()
    )
    if not verified:
        return Response(
            {"non_field_errors": [_("The e-mail address or the password is not right.")]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    token, _created = Token.objects.get_or_create(user=user)
    return Response({"token": token.key})
