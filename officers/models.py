import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.validators import phone_number


class Rank(models.TextChoices):
    # Bintara (NCOs): the ranks a Bhabinkamtibmas holds.
    BRIPDA = "bripda", "Bripda"
    BRIPTU = "briptu", "Briptu"
    BRIGPOL = "brigpol", "Brigpol"
    BRIPKA = "bripka", "Bripka"
    AIPDA = "aipda", "Aipda"
    AIPTU = "aiptu", "Aiptu"
    # Perwira (officers): Kapolsek, Kapolres and staff.
    IPDA = "ipda", "Ipda"
    IPTU = "iptu", "Iptu"
    AKP = "akp", "AKP"
    KOMPOL = "kompol", "Kompol"
    AKBP = "akbp", "AKBP"
    KOMBES = "kombes", "Kombes Pol"
    BRIGJEN = "brigjen", "Brigjen Pol"
    IRJEN = "irjen", "Irjen Pol"


class Officer(models.Model):
    """The police identity of a user who holds a police role."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="officer",
        verbose_name=_("user"),
    )
    nrp = models.CharField(
        _("NRP"),
        max_length=8,
        unique=True,
        validators=[RegexValidator(r"^\d{8}$", _("An NRP has exactly 8 digits."))],
        help_text=_("Nomor Registrasi Pokok: 8 digits."),
    )
    rank = models.CharField(_("rank"), max_length=10, choices=Rank.choices)
    unit = models.ForeignKey(
        "territory.PoliceUnit",
        on_delete=models.PROTECT,
        related_name="officers",
        verbose_name=_("unit"),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_number])
    photo = models.ImageField(_("photo"), upload_to="officers/", blank=True)

    class Meta:
        ordering = ["nrp"]
        verbose_name = _("officer")
        verbose_name_plural = _("officers")

    def __str__(self):
        return f"{self.get_rank_display()} {self.user.name} ({self.nrp})"

    def clean(self):
        expected = self.user.UNIT_KIND.get(self.user.role) if self.user_id else None
        if self.unit_id and expected and self.unit.kind != expected:
            raise ValidationError(
                {
                    "unit": _("A %(role)s belongs to a unit of kind %(kind)s.")
                    % {"role": self.user.get_role_display(), "kind": expected}
                }
            )


class AssignmentQuerySet(models.QuerySet):
    def active(self, on=None):
        day = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)


class Assignment(models.Model):
    """An officer assigned to a desa for a period. History is kept: an assignment ends, it is
    never deleted."""

    officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("officer")
    )
    village = models.ForeignKey(
        "territory.Village",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("desa/kelurahan"),
    )
    is_primary = models.BooleanField(_("primary officer"), default=True)
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            # One desa has at most one open-ended primary officer.
            models.UniqueConstraint(
                fields=["village"],
                condition=Q(is_primary=True, ends_on__isnull=True),
                name="one_open_primary_assignment_per_village",
                violation_error_message=_(
                    "This desa already has a primary officer. To change the officer, reassign "
                    "the desa on its page under Personnel (/personel/desa/<code>/)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="assignment_ends_after_start",
                # The admin shows this message; without it, the constraint's name.
                violation_error_message=_(
                    "The assignment would end before it starts: check the end date."
                ),
            ),
        ]
        indexes = [models.Index(fields=["officer", "ends_on"])]

    def __str__(self):
        return f"{self.officer} → {self.village}"

    def clean(self):
        # A Bhabinkamtibmas serves desa of their own Polsek: scope follows from it.
        if self.officer_id and self.village_id and self.village.polsek_id != self.officer.unit_id:
            raise ValidationError({"village": _("This desa is not in the officer's Polsek.")})


class GroupReached(models.TextChoices):
    WOMEN = "women", _("Women")
    YOUTH = "youth", _("Youth")
    ELDERLY = "elderly", _("Elderly people")
    DISABILITY = "disability", _("People with disabilities")
    MINORITY = "minority", _("Minorities")


class Visit(models.Model):
    """A sambang: an officer's visit to residents (door to door, patrol, meeting leaders…).
    Its author may correct it for EDIT_WINDOW; after that it is locked."""

    EDIT_WINDOW = datetime.timedelta(days=7)

    class Kind(models.TextChoices):
        DOOR_TO_DOOR = "door_to_door", _("Door to door")
        FOOT_PATROL = "foot_patrol", _("Foot patrol")
        LEADERS = "leaders", _("Meeting with community leaders")
        SCHOOL_WORSHIP = "school_worship", _("School or house of worship")
        FOLLOW_UP = "follow_up", _("Problem follow-up")
        MEDIATION = "mediation", _("Mediation")
        COUNSELLING = "counselling", _("Counselling")

    officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="visits", verbose_name=_("officer")
    )
    village = models.ForeignKey(
        "territory.Village",
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("desa/kelurahan"),
    )
    visited_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    kind = models.CharField(
        _("kind of visit"), max_length=20, choices=Kind.choices, default=Kind.DOOR_TO_DOOR
    )
    households = models.PositiveSmallIntegerField(_("households visited"), default=1)
    people = models.PositiveSmallIntegerField(_("people met"), default=1)
    groups_reached = models.JSONField(_("groups reached"), default=list, blank=True)
    notes = models.TextField(_("notes"), max_length=1000, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    problems = models.ManyToManyField(
        "issues.Problem", blank=True, related_name="visits", verbose_name=_("problems followed up")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-visited_at"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [
            models.Index(fields=["village", "visited_at"]),
            models.Index(fields=["officer", "visited_at"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.village} · {self.visited_at:%Y-%m-%d}"

    def editable_until(self) -> datetime.datetime:
        return self.created_at + self.EDIT_WINDOW

    def is_locked(self, now=None) -> bool:
        return (now or timezone.now()) > self.editable_until()

    @property
    def group_labels(self) -> list[str]:
        labels = dict(GroupReached.choices)
        return [str(labels.get(group, group)) for group in self.groups_reached]
