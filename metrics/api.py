"""Indicators over the API, read as the dashboards read them: only the computed table
`IndicatorValue`, labelled from the catalogue, for the areas the caller's dashboards may open
(`metrics.selectors.home_area`: the desa of `scope.visible_villages` and the units of
`scope.visible_units`; the nation for operators). The same roles as the dashboards: Kapolsek,
Polres commander and staff, Polda viewer and operators; others get 403, anonymous callers 401."""

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication

from metrics import selectors
from metrics.catalogue import BY_KEY, FAMILIES, INDICATORS
from metrics.models import IndicatorValue
from portal import scope

Level = IndicatorValue.Level
# Token first: an anonymous caller gets 401 with `WWW-Authenticate: Token`, not 403.
AUTHENTICATION = [TokenAuthentication, SessionAuthentication]
UNIT_LEVELS = [Level.POLSEK, Level.POLRES, Level.POLDA]
# A month as people write it, or as the schema's `date` format has it (any day of the month).
MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d"]


def indicator_values_for(user) -> QuerySet[IndicatorValue]:
    """The computed values of every area whose dashboard the user may open."""
    values = IndicatorValue.objects.all()
    home = selectors.home_area(user)
    if home is None:
        return values.none()
    if home[0] == Level.NATION:  # operators
        return values
    units = scope.visible_units(user).filter(code=OuterRef("area_code"), kind=OuterRef("level"))
    return values.filter(
        Q(level=Level.VILLAGE, area_code__in=scope.visible_villages(user).values("code"))
        | Q(Exists(units), level__in=UNIT_LEVELS)
    )


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
        method="filter_months", input_formats=MONTH_FORMATS, help_text="YYYY-MM, inclusive"
    )
    month_to = django_filters.DateFilter(
        method="filter_months", input_formats=MONTH_FORMATS, help_text="YYYY-MM, inclusive"
    )

    class Meta:
        model = IndicatorValue
        fields = ["level", "area", "indicator", "month_from", "month_to"]

    def filter_months(self, rows, name, value):
        lookup = "month__gte" if name == "month_from" else "month__lte"
        return rows.filter(**{lookup: selectors.month_start(value)})


class IndicatorValueViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Monthly indicator values of the areas the caller's dashboards cover, newest month
    first. A value is null where the indicator is not defined for that area and month."""

    authentication_classes = AUTHENTICATION
    permission_classes = [DashboardUser]
    serializer_class = IndicatorValueSerializer
    filterset_class = IndicatorValueFilter

    def get_queryset(self):
        return indicator_values_for(self.request.user).order_by(
            "-month", "level", "area_code", "indicator", "pk"
        )
