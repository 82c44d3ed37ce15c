from django.contrib import admin

from portal.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail, for operators to read. Operators hold every model permission
    (accounts/backends.py), so the admin itself refuses to add, change or delete."""

    list_display = [
        "created_at",
        "actor_label",
        "actor_role",
        "action",
        "target_type",
        "target_ref",
        "ip",
    ]
    list_filter = ["action", "created_at"]
    search_fields = ["actor_label", "actor__name", "actor__email", "target_ref", "target_id"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in AuditEvent._meta.fields]
    show_full_result_count = False  # the trail grows for ever: no second COUNT(*)

    def has_view_permission(self, request, obj=None):
        user = request.user
        return user.is_active and getattr(user, "is_operator", False)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
