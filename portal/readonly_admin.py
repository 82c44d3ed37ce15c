"""Administration pages for rows the portal's own services write: shown, never added, edited
or deleted there (the audit trail, a forum's log, API tokens, imports, survey answers)."""


class ReadOnlyAdminMixin:
    """Before `admin.ModelAdmin` (or another admin class) in the bases."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
