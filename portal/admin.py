from django.apps import apps
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from portal.models import AuditEvent
from portal.readonly_admin import ReadOnlyAdminMixin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit trail, for operators to read. Operators hold every model permission
    (accounts/backends.py), so the admin itself refuses to add, change or delete."""

    list_display = [
        "created_at",
        "actor_label",
        "role",
        "action",
        "target_kind",
        "target_ref",
        "ip",
    ]
    list_filter = ["action", "created_at"]
    search_fields = ["actor_label", "actor__name", "actor__email", "target_ref", "target_id"]
    date_hierarchy = "created_at"
    # The page of one event reads the role and the kind of record as the list does.
    readonly_fields = [
        {"actor_role": "role", "target_type": "target_kind"}.get(field.name, field.name)
        for field in AuditEvent._meta.fields
    ]
    fields = readonly_fields
    show_full_result_count = False  # the trail grows for ever: no second COUNT(*)

    # The stored values are codes ("polres_staff", "issues.problem"): the list reads them in
    # the operator's language. A code the portal no longer knows is shown as it was stored.
    @admin.display(description=_("actor's role"), ordering="actor_role")
    def role(self, event):
        roles = dict(User.Role.choices)
        return roles.get(event.actor_role, event.actor_role)

    @admin.display(description=_("target type"), ordering="target_type")
    def target_kind(self, event):
        try:
            return apps.get_model(event.target_type)._meta.verbose_name
        except (LookupError, ValueError):
            return event.target_type

    def has_view_permission(self, request, obj=None):
        user = request.user
        return user.is_active and getattr(user, "is_operator", False)

    def has_module_permission(self, request):
        return self.has_view_permission(request)
