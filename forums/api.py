"""Forums (FKPM) and their meetings over the API: read within the caller's scope; record a
meeting (attendance, minutes, problems reviewed) or cancel it as the desa's Bhabinkamtibmas or
the forum's secretary, through the same services as the pages.

Who sees what (the rules of `forums.selectors`, the same as the pages):

- police and operators: the forums covering their desa (`forums_visible_to`), whole record;
- the sitting secretary: their forum, whole record;
- other residents: the forums covering their own desa, public information only — no members,
  no attendance, no internal minutes, no missed meetings, as on the forum's public page;
- anonymous callers: 401.
"""

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import User
from forums import selectors, services
from forums.forms import COUNTED_GROUPS
from forums.models import ActionItem, Attendance, Forum, Meeting, MeetingProblem, Member
from issues.models import Problem
from portal.api.errors import Conflict, as_api_error
from portal.api.schema import CONFLICT, ID_BOUNDS, ID_PATTERN, named_choice_field
from territory.models import Village


def forums_for_api(user) -> QuerySet[Forum]:
    """The forums the caller may list, each annotated `readable` (may read the whole record)."""
    readable = selectors.forums_visible_to(user)
    if user.is_authenticated and user.role == User.Role.RESIDENT:
        own_desa = selectors.covering([user.village_id]) if user.village_id else Q(pk__in=[])
        return Forum.objects.filter(Q(pk__in=readable.values("pk")) | own_desa).annotate(
            readable=Exists(readable.filter(pk=OuterRef("pk")))
        )
    # Everyone else lists only what they may read whole.
    return readable.annotate(readable=Value(True, output_field=BooleanField()))


def meetings_for_api(user) -> QuerySet[Meeting]:
    """Meetings of the forums above, each annotated `readable`; a missed meeting only for
    those who read the forum's record (the public page does not show it)."""
    meetings = Meeting.objects.filter(forum__in=forums_for_api(user).values("pk"))
    if not (user.is_authenticated and user.role == User.Role.RESIDENT):
        return meetings.annotate(readable=Value(True, output_field=BooleanField()))
    readable = selectors.forums_visible_to(user).filter(pk=OuterRef("forum_id"))
    return meetings.annotate(readable=Exists(readable)).filter(
        Q(readable=True) | ~Q(status=Meeting.Status.MISSED)
    )


# --- Serializers -------------------------------------------------------------------------------


class ScheduleSerializer(serializers.Serializer):
    frequency = serializers.CharField()
    summary = serializers.CharField()
    time = serializers.TimeField()
    duration_minutes = serializers.IntegerField()
    place = serializers.CharField()


class MemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = Member
        fields = ["id", "name", "role", "sector", "gender", "joined_on"]


class ForumSerializer(serializers.ModelSerializer):
    kind = named_choice_field("ForumKindEnum", Forum.Kind)
    desa = serializers.CharField(source="village.code")
    desa_name = serializers.CharField(source="village.name")
    other_desa = serializers.SerializerMethodField()
    can_read_record = serializers.BooleanField(source="readable")
    next_meeting_at = serializers.DateTimeField(allow_null=True)
    next_meeting_place = serializers.CharField(allow_null=True)
    last_held_at = serializers.DateTimeField(allow_null=True)
    # The forum's record: null for a resident who may see its public information only.
    established_on = serializers.DateField(allow_null=True)
    decree_number = serializers.CharField(allow_null=True)
    bkpm_post = serializers.CharField(allow_null=True)
    open_action_items = serializers.IntegerField(source="open_item_count", allow_null=True)

    RECORD_FIELDS = ("established_on", "decree_number", "bkpm_post", "open_action_items")

    class Meta:
        model = Forum
        fields = [
            "id",
            "name",
            "kind",
            "desa",
            "desa_name",
            "other_desa",
            "is_public",
            "can_read_record",
            "next_meeting_at",
            "next_meeting_place",
            "last_held_at",
            "established_on",
            "decree_number",
            "bkpm_post",
            "open_action_items",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_other_desa(self, forum: Forum) -> list[str]:
        return [village.code for village in forum.other_villages.all()]

    def to_representation(self, forum: Forum):
        data = super().to_representation(forum)
        if forum.readable:
            data["open_action_items"] = data["open_action_items"] or 0
        else:
            for name in self.RECORD_FIELDS:
                data[name] = None
        return data


class ForumDetailSerializer(ForumSerializer):
    schedule = serializers.SerializerMethodField()
    members = serializers.SerializerMethodField()

    class Meta(ForumSerializer.Meta):
        fields = [*ForumSerializer.Meta.fields, "schedule", "members"]

    @extend_schema_field(ScheduleSerializer(allow_null=True))
    def get_schedule(self, forum: Forum):
        schedule = getattr(forum, "schedule", None)
        if schedule is None:
            return None
        return ScheduleSerializer(schedule).data

    @extend_schema_field(MemberSerializer(many=True, allow_null=True))
    def get_members(self, forum: Forum):
        """The sitting members, for those who read the record; null for the public."""
        if not forum.readable:
            return None
        return MemberSerializer(forum.active_members, many=True).data


class MeetingSerializer(serializers.ModelSerializer):
    forum_name = serializers.CharField(source="forum.name")
    desa = serializers.CharField(source="forum.village.code")
    status = named_choice_field("MeetingStatusEnum", Meeting.Status)
    members_present_count = serializers.IntegerField(source="member_count")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "forum",
            "forum_name",
            "desa",
            "scheduled_at",
            "duration_minutes",
            "place",
            "status",
            "cancel_reason",
            "summary",
            "members_present_count",
            "other_men",
            "other_women",
            "minutes_internal",
            "recorded_at",
        ]


class AttendeeSerializer(serializers.Serializer):
    member = serializers.IntegerField(source="member_id")
    name = serializers.CharField(source="member.name")


class AgendaProblemSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="problem.reference")
    title = serializers.SerializerMethodField()
    kind = named_choice_field("AgendaProblemKindEnum", MeetingProblem.Kind)

    class Meta:
        model = MeetingProblem
        fields = ["reference", "title", "kind", "status_at_meeting", "note"]

    def get_title(self, link: MeetingProblem) -> str:
        # A civilian secretary reads a private problem as "a private problem", as on the pages.
        return selectors.problem_title_for(link.problem, self.context["request"].user)


class ActionItemSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner_display", allow_null=True)
    status = named_choice_field("ActionItemStatusEnum", ActionItem.Status)

    class Meta:
        model = ActionItem
        fields = ["id", "what", "owner", "due_on", "status"]


class MeetingDetailSerializer(MeetingSerializer):
    """The whole record for those who read the forum's record. The public sees the minutes and
    the decisions (without who owns them) only where the minutes are not internal."""

    minutes = serializers.SerializerMethodField()
    can_record = serializers.SerializerMethodField()
    attendance = serializers.SerializerMethodField()
    other_by_group = serializers.SerializerMethodField()
    police_present = serializers.SerializerMethodField()
    partners_present = serializers.SerializerMethodField()
    problems = serializers.SerializerMethodField()
    action_items = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "minutes",
            "can_record",
            "attendance",
            "other_by_group",
            "police_present",
            "partners_present",
            "problems",
            "action_items",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="Markdown"))
    def get_minutes(self, meeting: Meeting):
        if meeting.readable or not meeting.minutes_internal:
            return meeting.minutes
        return None

    def get_can_record(self, meeting: Meeting) -> bool:
        return selectors.can_record(self.context["request"].user, meeting.forum)

    @extend_schema_field(AttendeeSerializer(many=True, allow_null=True))
    def get_attendance(self, meeting: Meeting):
        if not meeting.readable:
            return None
        return AttendeeSerializer(meeting.attendance.all(), many=True).data

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField(), allow_null=True))
    def get_other_by_group(self, meeting: Meeting):
        return meeting.other_by_group if meeting.readable else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_police_present(self, meeting: Meeting):
        return meeting.police_present if meeting.readable else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_partners_present(self, meeting: Meeting):
        return meeting.partners_present if meeting.readable else None

    @extend_schema_field(AgendaProblemSerializer(many=True, allow_null=True))
    def get_problems(self, meeting: Meeting):
        if not meeting.readable:
            return None
        return AgendaProblemSerializer(
            meeting.problem_links.all(), many=True, context=self.context
        ).data

    @extend_schema_field(ActionItemSerializer(many=True))
    def get_action_items(self, meeting: Meeting):
        if meeting.readable:
            return ActionItemSerializer(meeting.action_items.all(), many=True).data
        if meeting.minutes_internal:
            return []
        items = ActionItemSerializer(meeting.action_items.all(), many=True).data
        for item in items:
            item["owner"] = None
        return items


class RecordSerializer(serializers.Serializer):
    """The record form's fields (the service checks them as it does for the page)."""

    members_present = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list, help_text="Member ids"
    )
    other_men = serializers.IntegerField(min_value=0, max_value=5000, default=0)
    other_women = serializers.IntegerField(min_value=0, max_value=5000, default=0)
    other_by_group = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=5000),
        required=False,
        default=dict,
        help_text="Other residents present by vulnerable group: "
        + ", ".join(group for group, _label in COUNTED_GROUPS),
    )
    police_present = serializers.CharField(max_length=1000, required=False, default="")
    partners_present = serializers.CharField(max_length=1000, required=False, default="")
    minutes = serializers.CharField(max_length=20000, help_text="Markdown")
    summary = serializers.CharField(
        max_length=2000, required=False, default="", help_text="Public; never write names here"
    )
    minutes_internal = serializers.BooleanField(
        required=False,
        help_text="Residents then see only the public summary. Left out: internal for a new "
        "record, unchanged for a correction",
    )
    reviewed_problems = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        default=list,
        help_text="References of the problems carried over from the last meeting that were "
        "reviewed",
    )


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


# --- Filters -----------------------------------------------------------------------------------


class ForumFilter(django_filters.FilterSet):
    desa = django_filters.CharFilter(method="filter_desa", help_text="A desa's code")

    class Meta:
        model = Forum
        fields = ["desa", "kind"]

    def filter_desa(self, forums, name, value):
        return forums.filter(selectors.covering(Village.objects.filter(code=value).values("pk")))


class MeetingFilter(django_filters.FilterSet):
    forum = django_filters.NumberFilter(field_name="forum_id", **ID_BOUNDS)
    status = django_filters.ChoiceFilter(choices=Meeting.Status.choices)
    scheduled_from = django_filters.DateFilter(
        field_name="scheduled_at", lookup_expr="date__gte", help_text="YYYY-MM-DD, inclusive"
    )
    scheduled_to = django_filters.DateFilter(
        field_name="scheduled_at", lookup_expr="date__lte", help_text="YYYY-MM-DD, inclusive"
    )

    class Meta:
        model = Meeting
        fields = ["forum", "status", "scheduled_from", "scheduled_to"]


# --- Views -------------------------------------------------------------------------------------


class ForumViewSet(viewsets.ReadOnlyModelViewSet):
    """FKPM of the caller's area (police, operators, the secretary), or of their own desa
    (residents: public information only)."""

    filterset_class = ForumFilter
    lookup_value_regex = ID_PATTERN

    def get_serializer_class(self):
        return ForumDetailSerializer if self.action == "retrieve" else ForumSerializer

    def get_queryset(self):
        forums = selectors.with_list_annotations(forums_for_api(self.request.user))
        forums = forums.prefetch_related("other_villages")
        if self.action == "retrieve":
            forums = forums.select_related("schedule").prefetch_related(
                Prefetch(
                    "members",
                    queryset=Member.objects.active().order_by("name"),
                    to_attr="active_members",
                )
            )
        return forums.order_by("village__district__name", "village__name", "name", "pk")


class MeetingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Meetings of the forums above. Recording and cancelling: the desa's Bhabinkamtibmas and
    the forum's sitting secretary (403 for others who see the meeting, 404 outside scope)."""

    filterset_class = MeetingFilter
    lookup_value_regex = ID_PATTERN

    def get_serializer_class(self):
        if self.action == "record":
            return RecordSerializer
        if self.action == "cancel":
            return CancelSerializer
        if self.action == "retrieve":
            return MeetingDetailSerializer
        return MeetingSerializer

    def get_queryset(self):
        meetings = (
            meetings_for_api(self.request.user)
            .select_related("forum__village")
            .annotate(member_count=Count("attendance"))
        )
        if self.action != "list":
            meetings = meetings.prefetch_related(
                Prefetch(
                    "attendance",
                    queryset=Attendance.objects.select_related("member").order_by("member__name"),
                ),
                Prefetch(
                    "problem_links", queryset=MeetingProblem.objects.select_related("problem")
                ),
                Prefetch(
                    "action_items", queryset=ActionItem.objects.select_related("owner_member")
                ),
            )
        return meetings.order_by("-scheduled_at", "-pk")

    def _recordable_meeting(self) -> Meeting:
        """404 outside the caller's scope; 403 where they see it but may not record it."""
        meeting = self.get_object()
        if not selectors.can_record(self.request.user, meeting.forum):
            raise exceptions.PermissionDenied(_("You may not record this forum's meetings."))
        return meeting

    def _detail(self, meeting: Meeting) -> Response:
        fresh = self.get_queryset().get(pk=meeting.pk)  # joined as for `retrieve`
        return Response(MeetingDetailSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(
        request=RecordSerializer, responses={200: MeetingDetailSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None, format=None):
        """Record the meeting as held (or correct a held one's record): attendance, minutes
        and their visibility, the problems carried over that were reviewed."""
        meeting = self._recordable_meeting()
        serializer = RecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            services.meeting_record(
                actor=request.user,
                meeting=meeting,
                members_present=_members_present(meeting, data["members_present"]),
                minutes=data["minutes"],
                other_men=data["other_men"],
                other_women=data["other_women"],
                other_by_group=data["other_by_group"],
                police_present=data["police_present"],
                partners_present=data["partners_present"],
                summary=data["summary"],
                minutes_internal=data.get(
                    "minutes_internal",
                    meeting.minutes_internal if meeting.status == Meeting.Status.HELD else True,
                ),
                reviewed_problems=_reviewed_problems(meeting, data["reviewed_problems"]),
            )
        except services.StatusConflict as error:
            raise Conflict(error.messages[0]) from error
        except (ValidationError, PermissionDenied) as error:
            raise as_api_error(error) from error
        return self._detail(meeting)

    @extend_schema(
        request=CancelSerializer, responses={200: MeetingDetailSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None, format=None):
        """Call off a planned meeting; the reason is shown to residents."""
        meeting = self._recordable_meeting()
        serializer = CancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.meeting_cancel(
                actor=request.user, meeting=meeting, reason=serializer.validated_data["reason"]
            )
        except services.StatusConflict as error:
            raise Conflict(error.messages[0]) from error
        except (ValidationError, PermissionDenied) as error:
            raise as_api_error(error) from error
        return self._detail(meeting)


def _members_present(meeting: Meeting, ids: list[int]) -> list[Member]:
    """As the record form: the members of the forum on the meeting's day, and any already
    ticked (a member who left since stays on the record)."""
    if not ids:
        return []
    day = meeting.forum.local(meeting.scheduled_at).date()
    allowed = Member.objects.filter(
        Q(pk__in=Member.objects.active(day).filter(forum_id=meeting.forum_id).values("pk"))
        | Q(pk__in=Attendance.objects.filter(meeting=meeting).values("member_id")),
        pk__in=ids,
    )
    members = list(allowed)
    if len(members) != len(set(ids)):
        raise serializers.ValidationError(
            {"members_present": [_("Only members of this forum can be ticked.")]}
        )
    return members


def _reviewed_problems(meeting: Meeting, references: list[str]) -> list[Problem]:
    """As the record form: only the problems carried over from the last held meeting."""
    if not references:
        return []
    carried = {p.reference: p for p in selectors.carried_over_problems(meeting)}
    wanted = {reference.strip().upper() for reference in references}
    unknown = sorted(wanted - carried.keys())
    if unknown:
        raise serializers.ValidationError(
            {
                "reviewed_problems": [
                    _("Not carried over from the last meeting: %(references)s")
                    % {"references": ", ".join(unknown)}
                ]
            }
        )
    return [carried[reference] for reference in sorted(wanted)]
