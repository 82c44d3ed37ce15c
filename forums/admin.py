"""Operators look forums up and correct details here. Status changes and moves of a meeting are
not made in the administration: they go through the services (conditional updates, audit
trail, the members' reminders and change notices, the calendar's version)."""

from django.contrib import admin

from forums.models import ActionItem, Forum, ForumEvent, Meeting, Member, Schedule
from portal.readonly_admin import ReadOnlyAdminMixin


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0
    fields = ["name", "role", "sector", "gender", "user", "joined_on", "left_on"]
    autocomplete_fields = ["user"]


class ScheduleInline(admin.StackedInline):
    model = Schedule
    extra = 0


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "village", "established_on", "decree_number", "is_public"]
    list_filter = ["kind", "is_public"]
    list_select_related = ["village"]
    search_fields = ["name", "village__name", "village__code", "decree_number"]
    autocomplete_fields = ["village", "other_villages"]
    readonly_fields = ["created_by", "created_at"]
    inlines = [ScheduleInline, MemberInline]
    show_full_result_count = False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["forum", "scheduled_at", "status", "place", "recorded_by"]
    list_filter = ["status"]
    list_select_related = ["forum", "recorded_by"]
    search_fields = ["forum__name", "forum__village__name"]
    date_hierarchy = "scheduled_at"
    # A meeting is planned, moved ("Ubah jadwal") and recorded on the forum's pages, which tell
    # the members reminded of the old time; here only its record's details are corrected.
    readonly_fields = [
        "forum",
        "scheduled_at",
        "duration_minutes",
        "place",
        "times_rescheduled",
        "status",
        "status_changed_at",
        "cancel_reason",
        "recorded_by",
        "recorded_at",
        "reminders_queued_at",
        "rescheduled_from",
    ]
    exclude = ["members_present"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    # Deleting would take its reminders, attendance, action items and files with it, and tell
    # no member: a meeting that will not take place is cancelled on its page.
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["what", "forum", "owner_name", "due_on", "status"]
    list_filter = ["status"]
    list_select_related = ["forum"]
    search_fields = ["what", "forum__name"]
    readonly_fields = ["forum", "meeting", "status", "closed_at", "created_by", "problem"]
    raw_id_fields = ["owner_member"]
    show_full_result_count = False


@admin.register(ForumEvent)
class ForumEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "forum", "kind", "actor", "from_status", "to_status", "note"]
    list_filter = ["kind"]
    list_select_related = ["forum", "actor"]
    search_fields = ["forum__name", "note"]
    show_full_result_count = False
