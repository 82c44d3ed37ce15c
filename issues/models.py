import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from issues.workflow import OPEN_STATUSES, Status
from portal.locale import in_reader_language
from portal.validators import phone_number

# A problem with no officer action this long after the report is overdue.
OVERDUE_AFTER = datetime.timedelta(hours=48)


def private_storage():
    """Problem photos live outside MEDIA_ROOT and are only served through a view that checks
    who may see the problem."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


class VulnerableGroup(models.TextChoices):
    CHILDREN = "children", _("Children")
    YOUTH = "youth", _("Youth")
    WOMEN = "women", _("Women")
    ELDERLY = "elderly", _("Elderly people")
    DISABILITY = "disability", _("People with disabilities")
    POOR = "poor", _("Poor households")
    MINORITY = "minority", _("Minorities")


class Category(models.Model):
    """A kind of kamtibmas problem. Operators edit the list in the administration."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Indonesian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    always_private = models.BooleanField(
        _("always private"),
        default=False,
        help_text=_("Problems of this category never appear on public pages (e.g. KDRT)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "id").startswith("en") else self.name


class ProblemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def public(self):
        """What anyone may see: problems marked public, of a category that is not always
        private, not hidden by an operator."""
        return self.filter(is_private=False, is_hidden=False, category__always_private=False)


class Problem(models.Model):
    """A kamtibmas problem in one desa, reported by a resident (named or anonymous)."""

    class Source(models.TextChoices):
        WEB = "web", _("Web form")
        FORUM = "forum", _("Raised at a forum meeting")
        API = "api", _("API")
        OPEN311 = "open311", _("Open311")

    class Resolution(models.TextChoices):
        # How a resolved problem was solved: the indicator "community self-reliance" counts
        # mediation and community action (DESIGN.md, intermediate indicators, family 10).
        POLICE_ACTION = "police", _("Police action")
        MEDIATION = "mediation", _("Mediation")
        COMMUNITY_ACTION = "community", _("Community action")
        REFERRAL = "referral", _("Referred to another agency")
        OTHER = "other", _("Other")

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    village = models.ForeignKey(
        "territory.Village",
        on_delete=models.PROTECT,
        related_name="problems",
        verbose_name=_("desa/kelurahan"),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="problems", verbose_name=_("category")
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("what happened"), max_length=5000)
    occurred_at = models.DateTimeField(_("when it happened"), null=True, blank=True)
    location_text = models.CharField(_("where"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    vulnerable_groups = models.JSONField(_("vulnerable groups affected"), default=list, blank=True)

    # The reporter: a signed-in resident, or nobody (anonymous) with an optional contact.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_problems",
        verbose_name=_("reporter"),
    )
    reporter_named = models.BooleanField(_("reporter wants to be named"), default=False)
    contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    contact_phone = models.CharField(
        _("contact phone"), max_length=30, blank=True, validators=[phone_number]
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    consent_at = models.DateTimeField(_("privacy notice accepted at"))
    tracking_code_hash = models.CharField(_("tracking code hash"), max_length=64, editable=False)

    is_private = models.BooleanField(_("private"), default=False)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.WEB
    )
    # The language the reporter filed in: the mails to them are written in it, whoever's
    # request (an officer's, in English) sends them.
    language = models.CharField(
        _("reporter's language"), max_length=8, default="id", editable=False
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW, db_index=True
    )
    assigned_to = models.ForeignKey(
        "officers.Officer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_problems",
        verbose_name=_("assigned officer"),
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    referred_to = models.CharField(_("referred to"), max_length=200, blank=True)
    resolution = models.CharField(
        _("how it was solved"), max_length=10, choices=Resolution.choices, blank=True
    )

    # Moderation: an operator hides abuse; hidden problems leave every list but the operator's.
    is_hidden = models.BooleanField(_("hidden by an operator"), default=False)

    created_at = models.DateTimeField(_("reported at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    first_action_at = models.DateTimeField(_("first officer action at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    feedback_requested_at = models.DateTimeField(
        _("asked whether solved at"), null=True, blank=True
    )

    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        indexes = [
            models.Index(fields=["village", "status", "created_at"]),
            models.Index(fields=["status", "first_action_at", "created_at"]),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    def clean(self):
        super().clean()
        # KDRT and the like: an operator editing the problem cannot make it public.
        if self.category_id and self.category.always_private and not self.is_private:
            raise ValidationError(
                {"is_private": _("Problems of this category are always private.")}
            )

    @property
    def is_public(self) -> bool:
        """Whether anyone may see the problem; the same rule as `Problem.objects.public()`."""
        return not (self.is_private or self.is_hidden or self.category.always_private)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return (
            self.status in (Status.NEW, Status.REOPENED)
            and self.first_action_at is None
            and self.created_at <= timezone.now() - OVERDUE_AFTER
        )

    @property
    def vulnerable_group_labels(self) -> list[str]:
        labels = dict(VulnerableGroup.choices)
        return [str(labels.get(group, group)) for group in self.vulnerable_groups]

    @cached_property
    def reporter_display(self) -> str:
        """The reporter as the roles that may see them read it (never shown publicly)."""
        if self.reporter_id:
            return self.reporter.name or self.reporter.email
        return self.contact_name or ""

    @staticmethod
    def new_tracking_code() -> str:
        # 10 characters of an alphabet without look-alikes (0/O, 1/I/L), grouped for reading
        # aloud over the phone: ~50 bits, and the reference is needed too.
        alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
        code = "".join(secrets.choice(alphabet) for _ in range(10))
        return f"{code[:5]}-{code[5:]}"

    @staticmethod
    def hash_tracking_code(code: str) -> str:
        return hashlib.sha256(_plain_tracking_code(code).encode()).hexdigest()

    @staticmethod
    def tidy_tracking_code(code: str) -> str:
        """The code as the thank-you page shows it (ABCDE-FGHJK), however it was typed: in
        lower case, with a space for the dash or none. The tracking link is bookmarked."""
        plain = _plain_tracking_code(code)
        return f"{plain[:5]}-{plain[5:]}" if len(plain) == 10 else plain


def _plain_tracking_code(code: str) -> str:
    return code.strip().upper().replace(" ", "").replace("-", "")


class ProblemPhoto(models.Model):
    problem = models.ForeignKey(
        Problem, on_delete=models.CASCADE, related_name="photos", verbose_name=_("problem")
    )
    image = models.ImageField(
        _("image"),
        storage=private_storage,
        upload_to="problems/%Y/%m/",
        width_field="width",
        height_field="height",
    )
    width = models.PositiveIntegerField(_("width"), null=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, editable=False)
    # What lists show (`issues.photos.thumbnail_of`): on a weak signal a page of problems
    # should not cost megabytes. Empty only if the photo could not be read.
    thumbnail = models.ImageField(
        _("thumbnail"),
        storage=private_storage,
        upload_to="problems/%Y/%m/small/",
        blank=True,
        editable=False,
    )
    uploaded_by_reporter = models.BooleanField(_("uploaded by the reporter"), default=True)
    # Only the photos of the report as filed publicly appear on public pages. What the reporter
    # or an officer adds later is meant for the police and may show people or homes.
    is_public = models.BooleanField(_("shown on public pages"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return f"{self.problem.reference} photo {self.pk}"


class ProblemEvent(models.Model):
    """Every change to a problem: a status transition, an assignment, information added by the
    reporter, a comment. Append-only: the problem's history."""

    class Kind(models.TextChoices):
        FILED = "filed", _("Reported")
        TRANSITION = "transition", _("Status changed")
        ASSIGNMENT = "assignment", _("Assigned")
        INFORMATION = "information", _("Information added by the reporter")
        COMMENT = "comment", _("Comment")
        FEEDBACK = "feedback", _("Reporter's feedback")

    # Indexed with the time below (Meta.indexes), not alone.
    problem = models.ForeignKey(
        Problem,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("problem"),
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    by_reporter = models.BooleanField(_("by the reporter"), default=False)
    from_status = models.CharField(
        _("from status"), max_length=12, choices=Status.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=12, choices=Status.choices, blank=True)
    note = models.TextField(_("note"), max_length=5000, blank=True)
    is_public = models.BooleanField(_("public"), default=False)
    is_hidden = models.BooleanField(_("hidden by an operator"), default=False)
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("problem event")
        verbose_name_plural = _("problem events")
        indexes = [
            # A problem's events in order (its history page), and the indicators' lookups of
            # one problem's events before or after a moment, which read a few entries of this
            # index instead of every event of the problem (metrics.compute.problems). With
            # `kind` in it too, PostgreSQL can answer those lookups from the index alone where
            # the table is vacuumed.
            models.Index(
                fields=["problem", "created_at", "id", "kind"], name="issues_event_problem_time"
            ),
        ]

    def __str__(self):
        return f"{self.problem_id} {self.kind} {self.to_status}"

    @property
    def note_for_reader(self) -> str:
        """The note in the reader's language where the portal wrote it (an assignment's, or
        the step the reporter's "not solved" took); a person's words as they were written."""
        written_by_portal = self.kind == self.Kind.ASSIGNMENT or (
            self.kind == self.Kind.TRANSITION and self.actor_id is None
        )
        return in_reader_language(self.note) if written_by_portal else self.note

    @property
    def feedback_solved(self) -> bool | None:
        """On the reporter's feedback, whether they said the problem is solved: recorded as the
        status the answer leads to (services.problem_feedback). None on any other event."""
        if self.kind != self.Kind.FEEDBACK or self.to_status not in (
            Status.RESOLVED,
            Status.REOPENED,
        ):
            return None
        return self.to_status == Status.RESOLVED


class Feedback(models.Model):
    """The reporter's answer to "Is the problem solved?"."""

    problem = models.ForeignKey(
        Problem, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("problem")
    )
    solved = models.BooleanField(_("solved"))
    rating = models.PositiveSmallIntegerField(
        _("rating of the service"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        null=True,
        blank=True,
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self):
        return f"{self.problem_id}: {'yes' if self.solved else 'no'}"


class BlockedContact(models.Model):
    """A contact (e-mail or phone) an operator blocked for abuse: new reports from it are
    hidden automatically."""

    value = models.CharField(_("e-mail or phone"), max_length=254, unique=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("blocked contact")
        verbose_name_plural = _("blocked contacts")

    def __str__(self):
        return self.value

    @staticmethod
    def normalize(value: str) -> str:
        value = value.strip().lower()
        if "@" in value:
            return value
        digits = "".join(ch for ch in value if ch.isdigit())
        # 0812…, 62812… and +62812… are the same Indonesian number.
        if digits.startswith("62"):
            digits = "0" + digits[2:]
        return digits


class Notification(models.Model):
    """An e-mail the portal owes someone. Written in the same transaction as the change that
    needs it; a Celery task sends it and marks it sent, so a message is sent once even if the
    task runs twice, and nothing is lost while the broker is down (a periodic task retries)."""

    class Kind(models.TextChoices):
        NEW_PROBLEM = "new_problem", _("New problem for the officer")
        RECEIVED = "received", _("Report received")
        ASSIGNED = "assigned", _("Assigned to the officer")
        STATUS_CHANGED = "status_changed", _("Status changed")
        DUPLICATE_MERGED = "duplicate_merged", _("Duplicate merged")
        FEEDBACK_REQUEST = "feedback_request", _("Is the problem solved?")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    problem = models.ForeignKey(
        Problem, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("problem")
    )
    event = models.ForeignKey(
        ProblemEvent,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("problem event"),
    )
    recipient = models.EmailField(_("recipient"))
    language = models.CharField(_("language"), max_length=8, default="id")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "problem", "event", "recipient"],
                name="one_notification_per_recipient_and_event",
            ),
        ]
        indexes = [models.Index(fields=["recipient", "created_at"])]

    def __str__(self):
        return f"{self.kind} → {self.recipient}"
