"""Meeting reminders by e-mail: `Reminder` rows are written in the caller's transaction and
handed to Celery only after it commits. A broker that is down loses nothing: the rows wait and
the periodic `send_pending_reminders` task sends them."""

import zoneinfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from forums.models import Reminder


def send_after_commit(reminder_ids: list[int]) -> None:
    from forums.tasks import send_reminder

    for reminder_id in reminder_ids:
        # robust: a broker that is down must not undo the claim; the row waits for the sweep.
        transaction.on_commit(lambda pk=reminder_id: send_reminder.delay(pk), robust=True)


def _link(reminder: Reminder) -> str:
    meeting = reminder.meeting
    if reminder.for_officer:
        path = reverse("forums:meeting", args=[meeting.forum_id, meeting.pk])
    else:
        path = reverse("forums:public", args=[meeting.forum_id])
    return settings.SITE_URL.rstrip("/") + path


def deliver(reminder_id: int) -> bool:
    """Send one pending reminder; True if this call sent it. The row is locked while the mail
    goes out, so two workers running the same task cannot both send it."""
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("meeting__forum__village")
            .filter(pk=reminder_id, sent_at__isnull=True)
            .first()
        )
        if reminder is None:
            return False
        meeting = reminder.meeting
        forum = meeting.forum
        context = {
            "reminder": reminder,
            "meeting": meeting,
            "forum": forum,
            "starts": timezone.localtime(meeting.scheduled_at, zoneinfo.ZoneInfo(forum.timezone)),
            "link": _link(reminder),
        }
        with translation.override(reminder.language), timezone.override(forum.timezone):
            subject = render_to_string("forums/email/reminder_subject.txt", context)
            body = render_to_string("forums/email/reminder.txt", context)
        Reminder.objects.filter(pk=reminder.pk).update(attempts=reminder.attempts + 1)
        send_mail(" ".join(subject.split()), body, None, [reminder.recipient])
        Reminder.objects.filter(pk=reminder.pk).update(sent_at=timezone.now())
    return True
