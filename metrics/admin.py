import datetime

from django.contrib import admin
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metrics.crime_import import queue_recomputes
from metrics.models import CrimeImport, CrimeStatistic, CrimeType, SurveyResponse
from portal.readonly_admin import ReadOnlyAdminMixin


@admin.register(CrimeType)
class CrimeTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "position"]
    list_editable = ["position"]
    search_fields = ["code", "name", "name_en"]


@admin.register(CrimeImport)
class CrimeImportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "file_name", "imported_by", "rows"]
    list_select_related = ["imported_by"]
    search_fields = ["file_name", "imported_by__email"]
    date_hierarchy = "created_at"
    fields = ["file_name", "imported_by", "rows", "created_at"]


class MonthFilter(admin.SimpleListFilter):
    """The last 36 months, computed rather than read: a DISTINCT over millions of statistics
    rows on every admin page view would cost more than the page."""

    title = _("month")
    parameter_name = "month"

    def lookups(self, request, model_admin):
        month = timezone.localdate().replace(day=1)
        choices = []
        for _n in range(36):
            choices.append((month.isoformat(), f"{month:%Y-%m}"))
            month = (month - datetime.timedelta(days=1)).replace(day=1)
        return choices

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            month = datetime.date.fromisoformat(self.value())
        except ValueError:
            return queryset.none()
        return queryset.filter(month=month)


@admin.register(CrimeStatistic)
class CrimeStatisticAdmin(admin.ModelAdmin):
    list_display = ["month", "village", "polsek", "crime_type", "reported", "cleared", "source"]
    list_filter = [MonthFilter, "crime_type"]
    list_select_related = ["village", "polsek", "crime_type", "source"]
    search_fields = ["village__code", "village__name", "polsek__code", "polsek__name"]
    raw_id_fields = ["village", "polsek", "source"]
    # The national table holds millions of rows: no unfiltered COUNT(*) on each page.
    show_full_result_count = False

    # A row edited or deleted here changes the figures of its Polsek's desa: they are queued
    # for a recompute as after an import (the nightly run covers only the last two months), in
    # the transaction of the change.
    def save_model(self, request, obj, form, change):
        before = _crime_rows(CrimeStatistic.objects.filter(pk=obj.pk)) if change else []
        super().save_model(request, obj, form, change)
        queue_recomputes([*before, (obj.month, obj.village_id, obj.polsek_id)])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        queue_recomputes([(obj.month, obj.village_id, obj.polsek_id)])

    def delete_queryset(self, request, queryset):
        with transaction.atomic():  # the delete action, unlike the views, has none of its own
            rows = _crime_rows(queryset)
            super().delete_queryset(request, queryset)
            queue_recomputes(rows)


def _crime_rows(statistics) -> list[tuple]:
    return list(statistics.values_list("month", "village_id", "polsek_id").distinct())


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # respondent_key is left out on purpose: it is the only link between answers of one
    # person, and it has no use in the administration.
    list_display = [
        "village",
        "quarter",
        "trust",
        "satisfaction",
        "safe_at_night",
        "knows_forum",
        "created_at",
    ]
    list_filter = ["quarter"]
    list_select_related = ["village"]
    search_fields = ["village__code", "village__name"]
    fields = [
        "village",
        "quarter",
        "trust",
        "satisfaction",
        "safe_at_night",
        "knows_forum",
        "created_at",
    ]
    show_full_result_count = False
