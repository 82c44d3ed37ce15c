from django.contrib import admin

from officers.models import Assignment, Officer
from portal import audit


def _audit_assignment(request, assignment: Assignment, *, created=False, changed=(), deleted=False):
    """Assignments are also made, ended and corrected here by operators (the services cover
    the workload page, reassignment and the import). The admin's views run in a transaction:
    the event is kept only with the change."""
    if deleted:
        action = audit.Action.ASSIGNMENT_ENDED
    elif created:
        action = audit.Action.ASSIGNMENT_CREATED
    elif "ends_on" in changed and assignment.ends_on is not None:
        action = audit.Action.ASSIGNMENT_ENDED
    elif changed:
        action = audit.Action.ASSIGNMENT_CHANGED
    else:
        return
    audit.record(
        actor=request.user,
        action=action,
        target=assignment,
        request=request,
        officer=assignment.officer_id,
        village=assignment.village_id,
        is_primary=assignment.is_primary,
        starts_on=assignment.starts_on,
        ends_on=assignment.ends_on,
        changed=sorted(changed),
        deleted=deleted,
    )


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

    def save_formset(self, request, form, formset, change):
        if formset.model is not Assignment:
            return super().save_formset(request, form, formset, change)
        for deleted in formset.deleted_forms:
            if deleted.instance.pk is not None:
                _audit_assignment(request, deleted.instance, deleted=True)
        super().save_formset(request, form, formset, change)
        for assignment in formset.new_objects:
            _audit_assignment(request, assignment, created=True)
        for assignment, changed in formset.changed_objects:
            _audit_assignment(request, assignment, changed=changed)


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["officer", "village", "is_primary", "starts_on", "ends_on"]
    list_filter = ["is_primary"]
    list_select_related = ["officer__user", "village"]
    search_fields = ["officer__nrp", "officer__user__name", "village__name", "village__code"]
    autocomplete_fields = ["officer", "village"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _audit_assignment(request, obj, created=not change, changed=form.changed_data)

    def delete_model(self, request, obj):
        _audit_assignment(request, obj, deleted=True)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for assignment in queryset:
            _audit_assignment(request, assignment, deleted=True)
        super().delete_queryset(request, queryset)
