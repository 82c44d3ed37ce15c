from django.contrib import admin

from officers.models import Assignment, Officer


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["village"]


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ["nrp", "user", "rank", "unit"]
    list_filter = ["rank"]
    list_select_related = ["user", "unit"]
    search_fields = ["nrp", "user__name", "user__email", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    inlines = [AssignmentInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["officer", "village", "is_primary", "starts_on", "ends_on"]
    list_filter = ["is_primary"]
    list_select_related = ["officer__user", "village"]
    search_fields = ["officer__nrp", "officer__user__name", "village__name", "village__code"]
    autocomplete_fields = ["officer", "village"]
