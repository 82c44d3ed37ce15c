from django.utils import timezone

from territory.timezones import ZONE_LABELS


def time_zone(request):
    """The label (WIB, WITA, WIT) of the zone times are shown in on this request."""
    name = timezone.get_current_timezone_name()
    return {"zone_label": ZONE_LABELS.get(name, name)}
