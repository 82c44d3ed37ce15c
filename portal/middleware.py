import zoneinfo

from django.utils import timezone

from portal.scope import user_timezone


class UnitTimezoneMiddleware:
    """Show times in the zone of the user's unit or desa (WIB, WITA or WIT); store in UTC."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timezone.activate(zoneinfo.ZoneInfo(user_timezone(request.user)))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
