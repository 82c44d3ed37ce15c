"""Partnership forums (FKPM): members, a meeting schedule, meetings with attendance, minutes,
the problems they discuss and the action items they agree.

Writes go through `forums.services`; reads through `forums.selectors`.
"""

import datetime
import secrets
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from issues.models import private_storage
from portal.validators import phone_number
from territory.timezones import ZONE_LABELS


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class Forum(models.Model):
    """An FKPM: one per desa, or one per area (a market, an industrial estate) that covers one
    or more desa. `village` is the desa it belongs to (for an area forum, the desa where it
    sits); `other_villages` are the further desa an area forum covers."""

    class Kind(models.TextChoices):
        VILLAGE = "desa", _("Desa forum")
        AREA = "area", _("Area forum (market, industrial estate, …)")

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.VILLAGE)
    village = models.ForeignKey(
        "territory.Village",
        on_delete=models.PROTECT,
        related_name="forums",
        verbose_name=_("desa/kelurahan"),
    )
    other_villages = models.ManyToManyField(
        "territory.Village",
        blank=True,
        related_name="area_forums",
        verbose_name=_("other desa covered"),
        help_text=_("Only for an area forum that covers more than one desa."),
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    decree_number = models.CharField(
        _("decree (SK) number"), max_length=100, blank=True, help_text=_("Surat Keputusan")
    )
    bkpm_post = models.CharField(
        _("BKPM post"),
        max_length=200,
        blank=True,
        help_text=_("The forum's post (Balai Kemitraan), if it has one: name and address."),
    )
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_(
            "Anyone sees the next meeting and the public summaries, and may subscribe to the "
            "calendar. Otherwise only the desa's residents and the police of the area do."
        ),
    )
    calendar_token = models.CharField(
        _("calendar token"), max_length=64, unique=True, default=new_calendar_token, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("forum (FKPM)")
        verbose_name_plural = _("forums (FKPM)")
        constraints = [
            # One FKPM per desa; area forums come in addition to it.
            models.UniqueConstraint(
                fields=["village"], condition=Q(kind="desa"), name="one_desa_forum_per_village"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def timezone(self) -> str:
        return self.village.timezone

    @property
    def zone_label(self) -> str:
        return ZONE_LABELS.get(self.timezone, self.timezone)

    def local(self, value: datetime.datetime) -> datetime.datetime:
        return timezone.localtime(value, zoneinfo.ZoneInfo(self.timezone))


class MemberQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None):
        day = on or timezone.localdate()
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gt=day), joined_on__lte=day)


class Member(models.Model):
    """A person's membership of a forum over a period. Leaving closes the row; joining again
    opens a new one, so the history stays."""

    class Role(models.TextChoices):
        CHAIR = "ketua", _("Ketua (chair)")
        DEPUTY = "wakil", _("Wakil ketua (deputy)")
        SECRETARY = "sekretaris", _("Sekretaris (secretary)")
        TREASURER = "bendahara", _("Bendahara (treasurer)")
        MEMBER = "anggota", _("Anggota (member)")

    class Sector(models.TextChoices):
        RELIGIOUS = "religious", _("Religious leader")
        CUSTOMARY = "customary", _("Customary (adat) leader")
        YOUTH = "youth", _("Youth")
        WOMEN = "women", _("Women")
        RT_RW = "rt_rw", _("RT/RW")
        BUSINESS = "business", _("Business")
        VOLUNTEER = "volunteer", _("Volunteer")
        BABINSA = "babinsa", _("Babinsa")
        VILLAGE_GOVERNMENT = "village_government", _("Village government")
        COMMUNITY = "community", _("Community leader")

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")

    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="members", verbose_name=_("forum")
    )
    name = models.CharField(_("name"), max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_memberships",
        verbose_name=_("account"),
        help_text=_("A member with an account (e.g. the secretary) signs in as a resident."),
    )
    role = models.CharField(
        _("role in the forum"), max_length=12, choices=Role.choices, default=Role.MEMBER
    )
    sector = models.CharField(_("represents"), max_length=20, choices=Sector.choices)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[phone_number])
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("For meeting reminders."))
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["forum", "left_on", "name"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="member_leaves_after_joining",
            ),
            # One sitting chair; an account holds one open membership of a forum.
            models.UniqueConstraint(
                fields=["forum"],
                condition=Q(role="ketua", left_on__isnull=True),
                name="one_sitting_chair_per_forum",
            ),
            models.UniqueConstraint(
                fields=["forum", "user"],
                condition=Q(left_on__isnull=True),
                name="one_open_membership_per_account",
            ),
        ]
        indexes = [models.Index(fields=["user", "role", "left_on"])]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"

    @property
    def anchor(self) -> str:
        """The id of the member's row on the members page."""
        return f"member-{self.pk}"

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return self.joined_on <= today and (self.left_on is None or self.left_on > today)


def evening() -> datetime.time:
    """A new schedule's meeting time, 19:00, after work. A callable: Django's check of fixed
    defaults (fields.W161) reads a fixed time as a mistaken "now" when it runs at 19:00."""
    return datetime.time(19, 0)


class Schedule(models.Model):
    """A forum's recurring meeting rule, turned into dates by dateutil's rrule in the forum's
    time zone: monthly on the second Tuesday at 19:00 at the balai desa, weekly on Fridays, or
    ad hoc (no rule: meetings are planned one by one)."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        WEEKLY = "weekly", _("Weekly")
        AD_HOC = "ad_hoc", _("Ad hoc (no fixed day)")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    class WeekOfMonth(models.IntegerChoices):
        FIRST = 1, _("first")
        SECOND = 2, _("second")
        THIRD = 3, _("third")
        FOURTH = 4, _("fourth")
        LAST = -1, _("last")

    forum = models.OneToOneField(
        Forum, on_delete=models.CASCADE, related_name="schedule", verbose_name=_("forum")
    )
    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    interval = models.PositiveSmallIntegerField(
        _("every"), default=1, help_text=_("1 = every month (or week), 2 = every other, …")
    )
    weekday = models.PositiveSmallIntegerField(
        _("day of the week"), choices=Weekday.choices, default=Weekday.TUESDAY
    )
    week_of_month = models.SmallIntegerField(
        _("week of the month"),
        choices=WeekOfMonth.choices,
        default=WeekOfMonth.SECOND,
        help_text=_("Monthly meetings only."),
    )
    time = models.TimeField(_("time"), default=evening)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=120)
    place = models.CharField(_("place"), max_length=200, default="Balai desa")
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("meeting schedule")
        verbose_name_plural = _("meeting schedules")
        constraints = [
            models.CheckConstraint(
                condition=Q(interval__gte=1, interval__lte=12), name="schedule_interval_1_to_12"
            ),
        ]

    def __str__(self):
        return f"{self.forum}: {self.get_frequency_display()}"

    @property
    def summary(self) -> str:
        """The rule in words: "Every month on the second Tuesday" (time and place apart)."""
        if self.frequency == self.Frequency.AD_HOC:
            return gettext("Ad hoc: meetings are planned one by one")
        values = {
            "n": self.interval,
            "day": self.get_weekday_display(),
            "week": self.get_week_of_month_display(),
        }
        if self.frequency == self.Frequency.WEEKLY:
            rule = ngettext("Every week on %(day)s", "Every %(n)d weeks on %(day)s", self.interval)
        else:
            rule = ngettext(
                "Every month on the %(week)s %(day)s",
                "Every %(n)d months on the %(week)s %(day)s",
                self.interval,
            )
        return rule % values


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")
        MISSED = "missed", _("Missed (not recorded)")

    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("forum")
    )
    scheduled_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=120)
    place = models.CharField(_("place"), max_length=200)
    from_schedule = models.BooleanField(_("from the schedule"), default=False, editable=False)
    # The time it was first planned for, kept when it is rescheduled (and never changed after):
    # the schedule's job does not plan that slot again, and changing the schedule leaves a
    # meeting someone moved by hand alone (`forums.services._untouched`).
    rescheduled_from = models.DateTimeField(
        _("first planned for"), null=True, blank=True, editable=False
    )
    # How many times it was moved: a phone's calendar replaces its copy of an event only for a
    # higher SEQUENCE (forums.calendar), so each move must count.
    times_rescheduled = models.PositiveSmallIntegerField(
        _("times rescheduled"), default=0, editable=False
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    status_changed_at = models.DateTimeField(
        _("status changed at"), null=True, blank=True, editable=False
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)

    # The record of a held meeting.
    members_present = models.ManyToManyField(
        Member,
        through="Attendance",
        related_name="meetings_attended",
        blank=True,
        verbose_name=_("members present"),
    )
    other_men = models.PositiveSmallIntegerField(_("other residents: men"), default=0)
    other_women = models.PositiveSmallIntegerField(_("other residents: women"), default=0)
    other_by_group = models.JSONField(
        _("other residents by vulnerable group"), default=dict, blank=True
    )
    police_present = models.TextField(_("police present"), max_length=1000, blank=True)
    partners_present = models.TextField(
        _("partners present"),
        max_length=1000,
        blank=True,
        help_text=_("e.g. Babinsa, the kepala desa, the puskesmas."),
    )
    minutes = models.TextField(_("minutes (notulen)"), max_length=20000, blank=True)
    summary = models.TextField(
        _("public summary"),
        max_length=2000,
        blank=True,
        help_text=_("A few sentences for the desa's public page. Never write names here."),
    )
    # Internal unless the recorder opens them: minutes routinely name people (DESIGN: residents
    # read public summaries). Rows recorded before this default keep the choice made then.
    minutes_internal = models.BooleanField(
        _("minutes are internal"),
        default=True,
        help_text=_("Residents then see only the public summary, not the minutes and decisions."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    reminders_queued_at = models.DateTimeField(
        _("reminders queued at"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-scheduled_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            # The scheduled job and a second run of it can never plan the same meeting twice.
            models.UniqueConstraint(
                fields=["forum", "scheduled_at"], name="one_meeting_per_forum_and_time"
            ),
        ]
        indexes = [
            models.Index(fields=["forum", "status", "scheduled_at"]),
            models.Index(fields=["status", "scheduled_at"]),
        ]

    def __str__(self):
        return f"{self.forum} {self.scheduled_at:%Y-%m-%d}"

    @property
    def ends_at(self) -> datetime.datetime:
        return self.scheduled_at + datetime.timedelta(minutes=self.duration_minutes)

    @property
    def others_present(self) -> int:
        return self.other_men + self.other_women

    @property
    def is_planned(self) -> bool:
        return self.status == self.Status.PLANNED

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD

    @property
    def is_rescheduled(self) -> bool:
        return self.rescheduled_from is not None

    @property
    def moved_from(self) -> datetime.datetime | None:
        """The time first planned for, if the meeting was moved to another time (not only to
        another place)."""
        return self.rescheduled_from if self.rescheduled_from != self.scheduled_at else None


class Attendance(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("meeting")
    )
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("member")
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attends_once"),
        ]

    def __str__(self):
        return f"{self.member_id} @ {self.meeting_id}"


class MeetingProblem(models.Model):
    """A problem on a meeting's agenda: carried over from the last meeting and reviewed,
    discussed (an existing problem of the forum's desa), or raised at the meeting."""

    class Kind(models.TextChoices):
        REVIEWED = "reviewed", _("Carried over and reviewed")
        DISCUSSED = "discussed", _("Discussed")
        RAISED = "raised", _("Raised at this meeting")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="problem_links", verbose_name=_("meeting")
    )
    problem = models.ForeignKey(
        "issues.Problem",
        on_delete=models.CASCADE,
        related_name="forum_meetings",
        verbose_name=_("problem"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # The problem's SARA status when the meeting looked at it: the minutes keep what the
    # forum saw, even as the problem moves on.
    status_at_meeting = models.CharField(_("status at the meeting"), max_length=12)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("problem on the agenda")
        verbose_name_plural = _("problems on the agenda")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "problem"], name="problem_once_per_meeting"),
        ]

    def __str__(self):
        return f"{self.problem_id} @ {self.meeting_id}"

    @property
    def status_at_meeting_label(self) -> str:
        from issues.workflow import Status

        return str(Status(self.status_at_meeting).label) if self.status_at_meeting else ""


class ActionItem(models.Model):
    """A decision of the forum: what is to be done, by whom, by when. Open items come back on
    the officer's pages and on the agenda of every meeting until they are done or dropped."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("forum")
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("meeting")
    )
    what = models.CharField(_("what"), max_length=500)
    owner_member = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("who (member)"),
    )
    owner_name = models.CharField(
        _("who"), max_length=150, blank=True, help_text=_("e.g. Bhabinkamtibmas, Babinsa, RT 03.")
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    problem = models.ForeignKey(
        "issues.Problem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_action_items",
        verbose_name=_("problem"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    status_note = models.CharField(_("note"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["due_on", "created_at"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        indexes = [models.Index(fields=["forum", "status", "due_on"])]

    def __str__(self):
        return self.what

    @property
    def owner_display(self) -> str:
        if self.owner_member_id:
            return self.owner_member.name
        return self.owner_name

    @property
    def anchor(self) -> str:
        """The id of the item's row on a page, and the tag of a message about it."""
        return f"item-{self.pk}"

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == self.Status.OPEN
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )


class MeetingFile(models.Model):
    """A photo of the meeting or a scan of the signed attendance sheet: checked and re-encoded
    like problem photos, stored outside MEDIA_ROOT, served through a view that checks scope."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        ATTENDANCE_SHEET = "attendance_sheet", _("Signed attendance sheet")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="files", verbose_name=_("meeting")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    image = models.ImageField(
        _("image"),
        storage=private_storage,
        upload_to="forums/%Y/%m/",
        width_field="width",
        height_field="height",
    )
    width = models.PositiveIntegerField(_("width"), null=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, editable=False)
    # What the meeting page shows (`issues.photos.thumbnail_of`); the file itself opens on a tap.
    thumbnail = models.ImageField(
        _("thumbnail"),
        storage=private_storage,
        upload_to="forums/%Y/%m/small/",
        blank=True,
        editable=False,
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["kind", "created_at"]
        verbose_name = _("meeting file")
        verbose_name_plural = _("meeting files")

    def __str__(self):
        return f"{self.meeting_id} {self.kind} {self.pk}"


class Reminder(models.Model):
    """A meeting reminder the portal owes someone. Written when the meeting is claimed for
    reminding; a task sends it and marks it sent, so each person gets one mail per meeting
    even when the job or the task runs twice.

    Rescheduling the meeting supersedes the reminders already sent (they gave the old date,
    time or place): the row stays as the record of that mail, and the person may be owed one
    more, which says the meeting changed (`forums.services.meeting_reschedule`)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("meeting")
    )
    recipient = models.EmailField(_("recipient"))
    language = models.CharField(_("language"), max_length=8, default="id")
    for_officer = models.BooleanField(_("for an officer"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    announces_change = models.BooleanField(
        _("announces a change"),
        default=False,
        help_text=_("The recipient had been reminded of an earlier date, time or place."),
    )
    superseded_at = models.DateTimeField(
        _("superseded at"),
        null=True,
        blank=True,
        help_text=_("The meeting was rescheduled after this reminder went out."),
    )

    class Meta:
        verbose_name = _("meeting reminder")
        verbose_name_plural = _("meeting reminders")
        constraints = [
            # One current reminder per person and meeting; superseded ones are history.
            models.UniqueConstraint(
                fields=["meeting", "recipient"],
                condition=Q(superseded_at__isnull=True),
                name="one_current_reminder_per_meeting_and_recipient",
            ),
        ]

    def __str__(self):
        return f"{self.meeting_id} → {self.recipient}"


class ForumEvent(models.Model):
    """The forum's audit trail: who changed what, and when. Append-only."""

    class Kind(models.TextChoices):
        FORUM_CREATED = "forum_created", _("Forum created")
        FORUM_CHANGED = "forum_changed", _("Forum details changed")
        CALENDAR_LINK_RENEWED = "calendar_renewed", _("Calendar link renewed")
        SCHEDULE_SET = "schedule_set", _("Schedule set")
        MEMBER_ADDED = "member_added", _("Member added")
        MEMBER_CHANGED = "member_changed", _("Member changed")
        MEMBER_LEFT = "member_left", _("Member left")
        MEETING_PLANNED = "meeting_planned", _("Meeting planned")
        MEETING_RESCHEDULED = "meeting_moved", _("Meeting rescheduled")
        MEETING_HELD = "meeting_held", _("Meeting recorded as held")
        MEETING_UPDATED = "meeting_updated", _("Meeting record corrected")
        MEETING_CANCELLED = "meeting_cancelled", _("Meeting cancelled")
        MEETING_MISSED = "meeting_missed", _("Meeting marked missed")
        PROBLEM_LINKED = "problem_linked", _("Problem put on the agenda")
        PROBLEM_RAISED = "problem_raised", _("Problem raised at the meeting")
        ACTION_ADDED = "action_added", _("Action item agreed")
        ACTION_STATUS = "action_status", _("Action item status changed")
        FILE_ADDED = "file_added", _("File added")
        OFFICER_CHANGED = "officer_changed", _("Bhabinkamtibmas changed")

    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="events", verbose_name=_("forum")
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("meeting"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_status = models.CharField(_("from status"), max_length=10, blank=True)
    to_status = models.CharField(_("to status"), max_length=10, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("forum event")
        verbose_name_plural = _("forum events")

    def __str__(self):
        return f"{self.forum_id} {self.kind}"
