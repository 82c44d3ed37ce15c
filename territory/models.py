from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from territory.timezones import WIB, ZONE_LABELS, timezone_for_code

TIMEZONE_CHOICES = [(zone, label) for zone, label in ZONE_LABELS.items()]


class Province(models.Model):
    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self):
        return self.name


class Regency(models.Model):
    class Kind(models.TextChoices):
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")

    code = models.CharField(_("code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="regencies", verbose_name=_("province")
    )
    polres = models.ForeignKey(
        "territory.PoliceUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="regencies",
        limit_choices_to={"kind": "polres"},
        verbose_name=_("Polres"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("regency or city")
        verbose_name_plural = _("regencies and cities")

    def __str__(self):
        return self.name


class District(models.Model):
    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=100)
    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="districts", verbose_name=_("regency")
    )
    polsek = models.ForeignKey(
        "territory.PoliceUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="districts",
        limit_choices_to={"kind": "polsek"},
        verbose_name=_("Polsek"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")

    def __str__(self):
        return self.name


class Village(models.Model):
    """A desa or kelurahan: the place where community policing happens."""

    class Kind(models.TextChoices):
        DESA = "desa", _("Desa")
        KELURAHAN = "kelurahan", _("Kelurahan")

    code = models.CharField(_("code"), max_length=13, unique=True)
    name = models.CharField(_("name"), max_length=100, db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="villages", verbose_name=_("kecamatan")
    )
    # Every desa falls under exactly one Polsek: the single source for scoping police users.
    polsek = models.ForeignKey(
        "territory.PoliceUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="villages",
        limit_choices_to={"kind": "polsek"},
        verbose_name=_("Polsek"),
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("desa/kelurahan")
        verbose_name_plural = _("desa/kelurahan")

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"

    @property
    def timezone(self) -> str:
        return timezone_for_code(self.code)


class PoliceUnit(models.Model):
    """A Polda, Polres or Polsek. A Polsek's parent is a Polres, a Polres's parent a Polda."""

    class Kind(models.TextChoices):
        POLDA = "polda", _("Polda")
        POLRES = "polres", _("Polres")
        POLSEK = "polsek", _("Polsek")

    PARENT_KIND = {Kind.POLRES: Kind.POLDA, Kind.POLSEK: Kind.POLRES}

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    timezone = models.CharField(
        _("time zone"), max_length=32, choices=TIMEZONE_CHOICES, default=WIB
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("police unit")
        verbose_name_plural = _("police units")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="polda", parent__isnull=True)
                | models.Q(kind__in=["polres", "polsek"], parent__isnull=False),
                name="police_unit_parent_by_kind",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        expected = self.PARENT_KIND.get(self.kind)
        if expected and (self.parent is None or self.parent.kind != expected):
            raise ValidationError(
                {
                    "parent": _("A %(kind)s belongs to a %(parent)s.")
                    % {"kind": self.get_kind_display(), "parent": self.Kind(expected).label}
                }
            )
