"""Indicators over the API, read as the dashboards read them: only the computed tables
(`metrics.figures`), labelled from the catalogue, for the areas the caller's dashboards may open
(`metrics.selectors.home_area`: the desa of `scope.visible_villages` and the units of
`scope.visible_units`; the nation for operators). The same roles as the dashboards: Kapolsek,
Polres commander and staff, Polda viewer and operators; others get 403, anonymous callers 401."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication

from metrics import figures, selectors
from metrics.catalogue import BY_KEY, FAMILIES, INDICATORS
from metrics.compute.months import months_between
from metrics.crime_import import EARLIEST_MONTH
from metrics.models import AreaIndicatorValue, DesaIndicators, IndicatorValue
from metrics.pagination import DesaPart, MonthKeysetPagination
from portal import scope

Level = IndicatorValue.Level
# Token first: an anonymous caller gets 401 with `WWW-Authenticate: Token`, not 403.
AUTHENTICATION = [TokenAuthentication, SessionAuthentication]
UNIT_LEVELS = [Level.POLSEK, Level.POLRES, Level.POLDA]
# A month as people write it, or as the schema's `date` format has it (any day of the month).
MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d"]


def scope_areas(user) -> dict[str, list[str] | QuerySet] | None:
    """The codes of the areas, level by level, whose dashboards the user may open; None for
    every area (operators). The desa are a subquery, which each read of values carries: sent
    as parameters, a Polda's six thousand codes went with every part of every read, and at
    national scale a request for one area (`?area=`), which reads three years of months,
    took 2 s; with the subquery 0.2 s, and a first page 50–100 ms. One query for the units,
    whatever their number."""
    home = selectors.home_area(user)
    if home is None:
        return {}
    if home[0] == Level.NATION:  # operators
        return None
    codes = {Level.VILLAGE: scope.visible_villages(user).values("code")}
    for kind, code in scope.visible_units(user).values_list("kind", "code"):
        codes.setdefault(kind, []).append(code)
    return {
        level: level_codes
        for level, level_codes in codes.items()
        if level in (Level.VILLAGE, *UNIT_LEVELS)
    }


def indicator_values_for(user, areas: dict | None = ...) -> QuerySet[IndicatorValue]:
    """The computed values of every area whose dashboard the user may open (`areas`, if the
    caller has read them already), through the view: what SQLite's pages read, in one
    statement (small tables). PostgreSQL's pages read each level from its own table
    (`IndicatorValueViewSet.level_values`)."""
    areas = scope_areas(user) if areas is ... else areas
    values = IndicatorValue.objects.all()
    if areas is None:
        return values
    scoped = Q(pk__in=[])
    for level, level_codes in areas.items():
        scoped |= Q(level=level, area_code__in=level_codes)
    return values.filter(scoped)


class DashboardUser(permissions.BasePermission):
    message = gettext_lazy("Indicators are for commanders, their staff and operators.")

    def has_permission(self, request, view) -> bool:
        if not request.user.is_authenticated:
            return False  # 401
        return selectors.can_use_dashboards(request.user)


class IndicatorValueSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField(
        help_text="percent, count, ratio, hours, days, score or gini"
    )
    family = serializers.SerializerMethodField()
    family_label = serializers.SerializerMethodField()
    higher_is_better = serializers.SerializerMethodField()
    month = serializers.DateField(help_text="The month's first day")

    class Meta:
        model = IndicatorValue
        fields = [
            "indicator",
            "label",
            "unit",
            "family",
            "family_label",
            "higher_is_better",
            "level",
            "area_code",
            "month",
            "value",
            "numerator",
            "denominator",
            "computed_at",
        ]

    def get_label(self, row: IndicatorValue) -> str:
        indicator = BY_KEY.get(row.indicator)
        return str(indicator.label) if indicator else row.indicator

    def get_unit(self, row: IndicatorValue) -> str:
        indicator = BY_KEY.get(row.indicator)
        return indicator.unit if indicator else ""

    def get_family(self, row: IndicatorValue) -> int | None:
        indicator = BY_KEY.get(row.indicator)
        return indicator.family if indicator else None

    def get_family_label(self, row: IndicatorValue) -> str:
        indicator = BY_KEY.get(row.indicator)
        return str(FAMILIES[indicator.family]) if indicator else ""

    def get_higher_is_better(self, row: IndicatorValue) -> bool | None:
        indicator = BY_KEY.get(row.indicator)
        return indicator.higher_is_better if indicator else None


class IndicatorValueFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=Level.choices)
    area = django_filters.CharFilter(
        field_name="area_code", help_text="A desa's code, a police unit's code, or ID"
    )
    indicator = django_filters.ChoiceFilter(
        choices=[(indicator.key, indicator.key) for indicator in INDICATORS]
    )
    month_from = django_filters.DateFilter(
        method="filter_months",
        input_formats=MONTH_FORMATS,
        help_text="YYYY-MM, inclusive; by default 35 months before month_to (three years)",
    )
    month_to = django_filters.DateFilter(
        method="filter_months",
        input_formats=MONTH_FORMATS,
        help_text="YYYY-MM, inclusive; by default this month",
    )

    class Meta:
        model = IndicatorValue
        fields = ["level", "area", "indicator", "month_from", "month_to"]

    def filter_months(self, rows, name, value):
        return rows  # both bounds are applied together in filter_queryset

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).filter(month__in=self.months())

    def months(self) -> list:
        """The months from month_from (by default three years up to month_to) to month_to
        (by default this month), newest first, named one by one: the tables' keys start with
        the month (after the level, for the areas above the desa). No figure is older than the
        oldest crime statistics the import accepts."""
        current = selectors.month_start(timezone.localdate())
        last = self.form.cleaned_data.get("month_to")
        last = min(selectors.month_start(last), current) if last else current
        first = self.form.cleaned_data.get("month_from")
        first = (
            max(selectors.month_start(first), EARLIEST_MONTH)
            if first
            else selectors.shift_month(last, 1 - selectors.LATEST_WITHIN_MONTHS)
        )
        return months_between(first, last)[::-1]


class IndicatorValueViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Monthly indicator values of the areas the caller's dashboards cover, newest month
    first, then by level, area and indicator. A value is null where the indicator is not
    defined for that area and month. Pages follow one another through `next` (no count: at
    national scale counting would cost more than the page)."""

    authentication_classes = AUTHENTICATION
    permission_classes = [DashboardUser]
    serializer_class = IndicatorValueSerializer
    filterset_class = IndicatorValueFilter
    pagination_class = MonthKeysetPagination

    def get_queryset(self):
        self.scope_areas = scope_areas(self.request.user)
        return indicator_values_for(self.request.user, self.scope_areas)

    def level_values(self, level: str) -> QuerySet[AreaIndicatorValue] | DesaPart | None:
        """The values of one level in the caller's scope, filtered as the list is, from the
        table that stores them: the paginator reads each level on its own (see
        metrics.pagination). None for a level outside the scope or the filters."""
        areas = self.scope_areas
        if areas is not None and level not in areas:
            return None
        filters = self.filters
        if not filters.is_valid():  # refused already, by the filter backend
            return None
        if level != Level.VILLAGE:
            values = AreaIndicatorValue.objects.filter(level=level)
            if areas is not None:
                values = values.filter(area_code__in=areas[level])
            return filters.filter_queryset(values)
        asked = filters.form.cleaned_data
        if asked.get("level") not in (None, "", level):
            return None
        keys = figures.desa_keys([asked["indicator"]] if asked.get("indicator") else None)
        if not keys:
            return None
        # Only rows with a figure asked for: each gives at least one value (see DesaPart).
        rows = DesaIndicators.objects.filter(figures.any_of(keys))
        if areas is not None:
            rows = rows.filter(area_code__in=areas[level])
        if asked.get("area"):
            rows = rows.filter(area_code=asked["area"])
        return DesaPart(rows, keys)

    def requested_months(self) -> list:
        """For the paginator, which reads them a few at a time. The filter backend has refused
        invalid input already."""
        self.filters.is_valid()
        return self.filters.months()

    @cached_property
    def filters(self) -> IndicatorValueFilter:
        """The request's filters, read once for every level and the months."""
        return self.filterset_class(self.request.query_params, request=self.request)
