from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from issues import services
from issues.models import BlockedContact, Category, Feedback, Problem, ProblemEvent


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "always_private", "is_active", "position"]
    list_editable = ["always_private", "is_active", "position"]
    search_fields = ["name", "name_en", "code"]
    prepopulated_fields = {"code": ["name"]}


class EventInline(admin.TabularInline):
    model = ProblemEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "actor", "to_status", "note", "is_public", "is_hidden"]
    # Hidden through the actions only, which record it in the audit trail.
    readonly_fields = ["created_at", "kind", "actor", "to_status", "note", "is_public", "is_hidden"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    """Operators moderate here: hide abuse, block the contact behind it."""

    list_display = [
        "reference",
        "title",
        "village",
        "category",
        "status",
        "is_private",
        "is_hidden",
        "created_at",
    ]
    list_filter = ["status", "is_hidden", "is_private", "category"]
    list_select_related = ["village", "category"]
    search_fields = ["reference", "title", "village__name", "contact_email", "contact_phone"]
    readonly_fields = [
        "reference",
        "status",
        "is_hidden",  # the hide and unhide actions, which record it in the audit trail
        "reporter",
        "consent_at",  # the tracking code's hash stays out: a short code, unsalted
        "created_at",
        "first_action_at",
        "resolved_at",
        "feedback_requested_at",
        # The SARA cycle's own fields change through the officers' pages, which check the
        # step and record it in the problem's history and the audit trail.
        "assigned_to",
        "duplicate_of",
        "referred_to",
        "resolution",
    ]
    autocomplete_fields = ["village"]
    inlines = [EventInline]
    actions = ["hide", "unhide", "block_contact"]
    show_full_result_count = False

    @admin.action(description=_("Hide the selected problems"))
    def hide(self, request, queryset):
        count = sum(
            services.problem_set_hidden(actor=request.user, problem=problem, hidden=True)
            for problem in queryset
        )
        messages.success(
            request,
            ngettext(
                "%(count)d problem hidden: only operators see it now.",
                "%(count)d problems hidden: only operators see them now.",
                count,
            )
            % {"count": count},
        )

    @admin.action(description=_("Show the selected problems again"))
    def unhide(self, request, queryset):
        count = sum(
            services.problem_set_hidden(actor=request.user, problem=problem, hidden=False)
            for problem in queryset
        )
        messages.success(
            request,
            ngettext("%(count)d problem shown again.", "%(count)d problems shown again.", count)
            % {"count": count},
        )

    @admin.action(description=_("Block the contact of the selected problems and hide them"))
    def block_contact(self, request, queryset):
        for problem in queryset.select_related("reporter"):
            for value in (
                problem.contact_email,
                problem.contact_phone,
                problem.reporter.email if problem.reporter else "",
            ):
                if value:
                    services.contact_block(
                        actor=request.user,
                        value=value,
                        reason=problem.reference,
                        problem_reference=problem.reference,
                    )
            services.problem_set_hidden(actor=request.user, problem=problem, hidden=True)
        messages.success(request, _("Contacts blocked; new reports from them are hidden."))


@admin.register(ProblemEvent)
class ProblemEventAdmin(admin.ModelAdmin):
    """Comments and notes: operators hide abusive ones."""

    list_display = ["problem", "kind", "created_at", "is_public", "is_hidden"]
    list_filter = ["kind", "is_hidden", "is_public"]
    list_select_related = ["problem"]
    search_fields = ["problem__reference", "note"]
    readonly_fields = [
        "problem",
        "kind",
        "actor",
        "by_reporter",
        "from_status",
        "to_status",
        "note",
        "is_public",
        "is_hidden",  # the hide and unhide actions, which record it in the audit trail
        "created_at",
    ]
    actions = ["hide", "unhide"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # The SARA history of a problem (who moved it, when, with what note) is kept:
        # an abusive comment is hidden, never deleted.
        return False

    @admin.action(description=_("Hide the selected comments"))
    def hide(self, request, queryset):
        count = sum(
            services.event_set_hidden(actor=request.user, event=event, hidden=True)
            for event in queryset
        )
        messages.success(
            request,
            ngettext("%(count)d comment hidden.", "%(count)d comments hidden.", count)
            % {"count": count},
        )

    @admin.action(description=_("Show the selected comments again"))
    def unhide(self, request, queryset):
        count = sum(
            services.event_set_hidden(actor=request.user, event=event, hidden=False)
            for event in queryset
        )
        messages.success(
            request,
            ngettext("%(count)d comment shown again.", "%(count)d comments shown again.", count)
            % {"count": count},
        )


@admin.register(BlockedContact)
class BlockedContactAdmin(admin.ModelAdmin):
    list_display = ["value", "reason", "created_by", "created_at"]
    search_fields = ["value"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        obj.value = BlockedContact.normalize(obj.value)
        obj.created_by = obj.created_by or request.user
        super().save_model(request, obj, form, change)
        services.record_contact_moderation(
            actor=request.user, value=obj.value, change="contact_blocked"
        )

    def delete_model(self, request, obj):
        services.record_contact_moderation(
            actor=request.user, value=obj.value, change="contact_unblocked"
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for blocked in queryset:
            self.delete_model(request, blocked)


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["problem", "solved", "rating", "created_at"]
    list_filter = ["solved", "rating"]
    list_select_related = ["problem"]
