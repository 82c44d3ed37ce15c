"""A forum's meetings as an iCalendar feed (RFC 5545) that a phone calendar subscribes to.

Every meeting is a VEVENT with times in UTC (DTSTART…Z), so no VTIMEZONE is needed; a
cancelled meeting stays in the feed with STATUS:CANCELLED, which tells subscribed calendars to
strike it through instead of silently keeping the old entry. The feed carries only what the
public page shows: time, place, status, and the link."""

import datetime

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _

from forums.models import Forum, Meeting
from portal.locale import in_reader_language

# What a subscribed phone keeps: the last few months and everything planned.
PAST = datetime.timedelta(days=120)
STATUS = {
    Meeting.Status.PLANNED: "CONFIRMED",
    Meeting.Status.HELD: "CONFIRMED",
    Meeting.Status.CANCELLED: "CANCELLED",
    Meeting.Status.MISSED: "TENTATIVE",
}


def feed(forum: Forum, *, host: str, link: str, now: datetime.datetime | None = None) -> bytes:
    now = now or timezone.now()
    meetings = forum.meetings.filter(scheduled_at__gte=now - PAST).order_by("scheduled_at")
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Polmas Portal//FKPM//ID")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", forum.name)
    calendar.add("x-wr-timezone", forum.timezone)
    # Ask subscribed calendars to refresh twice a day.
    calendar.add("refresh-interval", datetime.timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")
    stamp = now.astimezone(datetime.UTC).replace(microsecond=0)
    for meeting in meetings:
        event = icalendar.Event()
        event.add("uid", f"fkpm-meeting-{meeting.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.scheduled_at.astimezone(datetime.UTC))
        event.add("dtend", meeting.ends_at.astimezone(datetime.UTC))
        event.add("summary", _("FKPM meeting: %(forum)s") % {"forum": forum.name})
        event.add("location", meeting.place)
        event.add("status", STATUS[meeting.status])
        description = link
        if meeting.status == Meeting.Status.CANCELLED and meeting.cancel_reason:
            reason = in_reader_language(meeting.cancel_reason)
            description = _("Cancelled: %(reason)s") % {"reason": reason}
            description += "\n" + link
        event.add("description", description)
        event.add("url", link)
        # A rescheduled or cancelled meeting must replace the copy a phone already has.
        event.add(
            "sequence",
            meeting.times_rescheduled + int(meeting.status == Meeting.Status.CANCELLED),
        )
        calendar.add_component(event)
    return calendar.to_ical()
