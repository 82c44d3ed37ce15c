"""The web form's rate limits (portal.ratelimit) applied to API requests that file or comment,
so that the API is no way around them."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import Throttled

from issues.views.common import allow_filing


def check_filing_allowed(request) -> None:
    if not allow_filing(request):
        raise Throttled(
            detail=_("You have sent this too often. Please wait a while and try again.")
        )
