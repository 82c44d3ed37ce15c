"""Crime statistics, resident surveys and the computed tables the dashboards read.

Dashboards never aggregate raw rows: background jobs (`metrics.compute`) compute the indicators
per desa and month and roll them up to Polsek, Polres, Polda and nation (`IndicatorValue`, a
view over `DesaIndicators` and `AreaIndicatorValue`), and `CrimeTypeValue` rows, the crime
statistics by crime type, at the same levels.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metrics.catalogue import DESA_KEYS


class CrimeType(models.Model):
    """A crime category of the statistics (admin-editable, matched by `code` on import)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Indonesian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("crime type")
        verbose_name_plural = _("crime types")

    def __str__(self):
        return self.name


class CrimeImport(models.Model):
    """One accepted crime-statistics file: who brought it and which months it replaced."""

    file_name = models.CharField(_("file name"), max_length=200)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("crime statistics import")
        verbose_name_plural = _("crime statistics imports")

    def __str__(self):
        return self.file_name


class CrimeStatistic(models.Model):
    """Cases reported and cleared in one desa (or one Polsek, where the desa is unknown), one
    month and one crime type. `polsek` is always set: for a desa row it is the desa's Polsek,
    so roll-ups never need to know which kind of row they read."""

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    village = models.ForeignKey(
        "territory.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="crime_statistics",
        verbose_name=_("desa/kelurahan"),
    )
    polsek = models.ForeignKey(
        "territory.PoliceUnit",
        on_delete=models.PROTECT,
        related_name="crime_statistics",
        verbose_name=_("Polsek"),
    )
    crime_type = models.ForeignKey(
        CrimeType, on_delete=models.PROTECT, related_name="+", verbose_name=_("crime type")
    )
    reported = models.PositiveIntegerField(_("cases reported"))
    cleared = models.PositiveIntegerField(_("cases cleared"))
    source = models.ForeignKey(
        CrimeImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="statistics",
        verbose_name=_("import"),
    )

    class Meta:
        verbose_name = _("crime statistic")
        verbose_name_plural = _("crime statistics")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "village", "crime_type"],
                condition=Q(village__isnull=False),
                name="crime_statistic_one_per_village_month_type",
            ),
            models.UniqueConstraint(
                fields=["month", "polsek", "crime_type"],
                condition=Q(village__isnull=True),
                name="crime_statistic_one_per_polsek_month_type",
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="crime_statistic_month_is_first_day"
            ),
        ]
        indexes = [models.Index(fields=["month", "polsek"])]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.crime_type_id}"

    def clean(self):
        # What the import refuses, refused when an operator edits a row in the administration:
        # a clearance rate above 100 % on the dashboards, or the month constraint's bare name.
        errors = {}
        if self.month and self.month.day != 1:
            errors["month"] = _("Give the first day of the month: %(date)s.") % {
                "date": self.month.replace(day=1).isoformat()
            }
        reported, cleared = self.reported, self.cleared
        if reported is not None and cleared is not None and cleared > reported:
            errors["cleared"] = _("more cases cleared (%(cleared)d) than reported (%(reported)d)")
            errors["cleared"] %= {"cleared": cleared, "reported": reported}
        if errors:
            raise ValidationError(errors)


class SurveyResponse(models.Model):
    """One resident's answers for one desa and quarter. `respondent_key` identifies the
    person without storing who they are (a keyed hash of the account or of the contact), so
    the unique constraint gives one response per person per quarter."""

    class Scale(models.IntegerChoices):
        STRONGLY_DISAGREE = 1, _("Strongly disagree")
        DISAGREE = 2, _("Disagree")
        NEUTRAL = 3, _("Neither agree nor disagree")
        AGREE = 4, _("Agree")
        STRONGLY_AGREE = 5, _("Strongly agree")

    village = models.ForeignKey(
        "territory.Village",
        on_delete=models.PROTECT,
        related_name="survey_responses",
        verbose_name=_("desa/kelurahan"),
    )
    quarter = models.DateField(_("quarter"), help_text=_("The first day of the quarter."))
    respondent_key = models.CharField(_("respondent key"), max_length=64, editable=False)
    trust = models.PositiveSmallIntegerField(_("I trust the police"), choices=Scale.choices)
    satisfaction = models.PositiveSmallIntegerField(
        _("I am satisfied with our Bhabinkamtibmas"), choices=Scale.choices
    )
    safe_at_night = models.PositiveSmallIntegerField(
        _("I feel safe walking in my desa at night"), choices=Scale.choices
    )
    knows_forum = models.PositiveSmallIntegerField(
        _("I know our desa's FKPM"), choices=Scale.choices
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["quarter", "respondent_key"], name="survey_one_per_person_per_quarter"
            ),
        ]
        indexes = [models.Index(fields=["village", "quarter"])]

    def __str__(self):
        return f"{self.village_id} {self.quarter:%Y-%m}"


class Level(models.TextChoices):
    VILLAGE = "desa", _("Desa")
    POLSEK = "polsek", _("Polsek")
    POLRES = "polres", _("Polres")
    POLDA = "polda", _("Polda")
    NATION = "nation", _("Nation")


class IndicatorRow(models.Model):
    """One indicator for one area and month.

    `numerator` and `denominator` are kept so that a ratio rolls up as sum ÷ sum (never as a
    mean of means); `value` is what the dashboard shows, null where the indicator is not
    defined for that area and month (e.g. no meetings planned)."""

    # The key in the order the recompute writes (a month's rows of a level side by side) and
    # the readers read: they name the months they want (`month IN (…)`), so an area's lookup is
    # a few descents of the index. No surrogate `id`: a second index would cost a fifth of
    # every row's writing (docs/performance.md).
    pk = models.CompositePrimaryKey("level", "month", "area_code", "indicator")
    indicator = models.CharField(_("indicator"), max_length=40)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    # The desa code, the police unit code, or "ID" for the nation: one key for every level
    # keeps the key and the dashboard's lookups simple.
    area_code = models.CharField(_("area code"), max_length=20)
    month = models.DateField(_("month"))
    value = models.FloatField(_("value"), null=True)
    numerator = models.FloatField(_("numerator"), null=True)
    denominator = models.FloatField(_("denominator"), null=True)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.indicator} {self.level}:{self.area_code} {self.month:%Y-%m}"


class IndicatorValue(IndicatorRow):
    """The figures of `metrics.compute` one row per indicator at every level: a view
    (`metrics.desa_table`) of the rows of `AreaIndicatorValue` and the desa's figures of
    `DesaIndicators`; writes through it go to those tables. For the admin, the tests and small
    reads: the dashboards and the API read the two tables themselves (`metrics.figures`)."""

    Level = Level

    class Meta:
        managed = False
        db_table = "metrics_indicatorvalue"
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")


class AreaIndicatorValue(IndicatorRow):
    """The stored rows of `IndicatorValue` above the desa (at national scale 150,000 a
    month)."""

    class Meta:
        verbose_name = _("indicator value of an area")
        verbose_name_plural = _("indicator values of areas")


class DesaIndicators(models.Model):
    """Every indicator of one desa and month in one row: for each key of
    `catalogue.DESA_KEYS` its value (a column named by the key), numerator (`<key>_num`),
    denominator (`<key>_den`) and when it last changed (`<key>_at`, null where the indicator
    is not defined). At national scale a month is 83,000 rows instead of two million, written
    in a twentieth of the time (docs/performance.md)."""

    pk = models.CompositePrimaryKey("month", "area_code")
    month = models.DateField(_("month"))
    area_code = models.CharField(_("desa code"), max_length=20)

    class Meta:
        verbose_name = _("indicators of a desa")
        verbose_name_plural = _("indicators of desa")

    def __str__(self):
        return f"{self.area_code} {self.month:%Y-%m}"


for _key in DESA_KEYS:
    DesaIndicators.add_to_class(_key, models.FloatField(null=True))
    DesaIndicators.add_to_class(f"{_key}_num", models.FloatField(null=True))
    DesaIndicators.add_to_class(f"{_key}_den", models.FloatField(null=True))
    DesaIndicators.add_to_class(f"{_key}_at", models.DateTimeField(null=True))
del _key


class CrimeTypeValue(models.Model):
    """Cases reported and cleared of one crime type in one area and month, computed by
    `metrics.compute` from `CrimeStatistic`: the dashboards' breakdown by crime type. A
    Polsek's row counts its rows that name no desa too; above it the Polsek add up."""

    Level = Level

    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    area_code = models.CharField(_("area code"), max_length=20)
    month = models.DateField(_("month"))
    # Without a constraint in the database: the rows are computed from `CrimeStatistic`, whose
    # own foreign key keeps the type, and PostgreSQL checked a national month's 94,000 rows
    # at each commit (0.5 s). Django still protects a type with rows from deletion; a type
    # deleted by hand in SQL, or while a recompute writes its rows, leaves rows that the
    # dashboards' join skips until the month is recomputed.
    crime_type = models.ForeignKey(
        CrimeType,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("crime type"),
        db_constraint=False,
    )
    reported = models.PositiveIntegerField(_("cases reported"))
    cleared = models.PositiveIntegerField(_("cases cleared"))
    # The month's rows of an area are replaced as a whole: when they were last computed.
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        verbose_name = _("crime type value")
        verbose_name_plural = _("crime type values")
        constraints = [
            # Its index serves both the dashboard (level, area and month equal) and the
            # recompute, which replaces a month of one level.
            models.UniqueConstraint(
                fields=["level", "month", "area_code", "crime_type"],
                name="crime_type_value_one_per_area_month_type",
            ),
        ]

    def __str__(self):
        return f"{self.crime_type_id} {self.level}:{self.area_code} {self.month:%Y-%m}"


class RecomputeRequest(models.Model):
    """A desa-month whose data changed and waits for a recompute. A change inserts (or finds)
    the row in the writer's transaction, so many changes to one desa-month make one
    recompute (the debounce) and none is lost if the broker is down."""

    village = models.ForeignKey(
        "territory.Village",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("desa/kelurahan"),
    )
    month = models.DateField(_("month"))
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["village", "month"], name="recompute_request_one_per_village_month"
            ),
        ]

    def __str__(self):
        return f"{self.village_id} {self.month:%Y-%m}"
