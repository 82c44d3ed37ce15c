"""Visits (sambang) over the API: an officer logs one in their own desa and corrects it within
seven days, through the same services as the visit form; the police and operators read the
visits of their scope (`officers.selectors.visits_visible_to`: a Bhabinkamtibmas their own, a
commander their area's, an operator all). Residents get 403, anonymous callers 401."""

from decimal import Decimal

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from issues.models import Problem
from issues.workflow import OPEN_STATUSES
from officers import selectors, services
from officers.models import GroupReached, Visit
from portal import scope
from portal.api.errors import as_api_error
from portal.api.schema import ID_BOUNDS, ID_PATTERN, named_choice_field
from territory.models import Village

# The fields of `services.visit_log` / `visit_update`, in the request's names.
VISIT_FIELDS = [
    "kind",
    "visited_at",
    "households",
    "people",
    "groups_reached",
    "notes",
    "latitude",
    "longitude",
]


class PoliceOrOperator(permissions.BasePermission):
    """Signed in as police or as an operator: residents get 403 with a reason."""

    message = gettext_lazy("Only the police and operators may use this.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user.is_authenticated:
            return False
        return user.is_police or user.is_operator


class VisitSerializer(serializers.ModelSerializer):
    officer_name = serializers.CharField(source="officer.user.name")
    desa = serializers.CharField(source="village.code")
    desa_name = serializers.CharField(source="village.name")
    kind = named_choice_field("VisitKindEnum", Visit.Kind)
    groups_reached = serializers.ListField(
        child=serializers.ChoiceField(choices=GroupReached.choices)
    )
    problems = serializers.SerializerMethodField()
    editable_until = serializers.DateTimeField()
    locked = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = [
            "id",
            "officer",
            "officer_name",
            "desa",
            "desa_name",
            "visited_at",
            "kind",
            "households",
            "people",
            "groups_reached",
            "notes",
            "latitude",
            "longitude",
            "problems",
            "created_at",
            "updated_at",
            "editable_until",
            "locked",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_problems(self, visit: Visit) -> list[str]:
        return [problem.reference for problem in visit.problems.all()]

    def get_locked(self, visit: Visit) -> bool:
        return visit.is_locked()


class VisitWriteSerializer(serializers.Serializer):
    """The visit form's fields; the services check the rest (own desa, not in the future,
    problems of the desa, the seven-day window)."""

    desa = serializers.CharField(help_text="The desa's official code, e.g. 32.04.01.2001")
    kind = named_choice_field("VisitKindEnum", Visit.Kind, default=Visit.Kind.DOOR_TO_DOOR)
    visited_at = serializers.DateTimeField(required=False, help_text="Default: now")
    households = serializers.IntegerField(min_value=0, max_value=32767, default=1)
    people = serializers.IntegerField(min_value=0, max_value=32767, default=1)
    groups_reached = serializers.ListField(
        child=serializers.ChoiceField(choices=GroupReached.choices), required=False, default=list
    )
    notes = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    latitude = serializers.DecimalField(
        max_digits=8,
        decimal_places=6,
        min_value=Decimal("-11.5"),
        max_value=Decimal("6.5"),
        required=False,
        allow_null=True,
        default=None,
    )
    longitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=Decimal("94.5"),
        max_value=Decimal("141.5"),
        required=False,
        allow_null=True,
        default=None,
    )
    problems = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        default=list,
        help_text="References of the desa's open problems this visit followed up",
    )


class VisitFilter(django_filters.FilterSet):
    desa = django_filters.CharFilter(field_name="village__code")
    officer = django_filters.NumberFilter(field_name="officer_id", **ID_BOUNDS)
    kind = django_filters.ChoiceFilter(choices=Visit.Kind.choices)
    visited_from = django_filters.DateFilter(
        field_name="visited_at", lookup_expr="date__gte", help_text="YYYY-MM-DD, inclusive"
    )
    visited_to = django_filters.DateFilter(
        field_name="visited_at", lookup_expr="date__lte", help_text="YYYY-MM-DD, inclusive"
    )

    class Meta:
        model = Visit
        fields = ["desa", "officer", "kind", "visited_from", "visited_to"]


class VisitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Visits within the caller's scope. Logging one: a Bhabinkamtibmas in one of their desa.
    Correcting one: its author, for seven days after it was logged (then 400)."""

    lookup_value_regex = ID_PATTERN

    permission_classes = [PoliceOrOperator]
    filterset_class = VisitFilter

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return VisitWriteSerializer
        return VisitSerializer

    def get_queryset(self):
        # The selector joins officer, user and desa; the problems come in one more query.
        return (
            selectors.visits_visible_to(self.request.user)
            .prefetch_related(Prefetch("problems", queryset=Problem.objects.only("reference")))
            .order_by("-visited_at", "-pk")
        )

    def _answer(self, visit: Visit, code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=visit.pk)
        return Response(VisitSerializer(fresh).data, status=code)

    @extend_schema(responses={201: VisitSerializer})
    def create(self, request, *args, **kwargs):
        serializer = VisitWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        village = _village(data["desa"])
        changes = {key: data[key] for key in VISIT_FIELDS if key in data}
        changes["problems"] = _problems(request.user, data["problems"])
        try:
            visit = services.visit_log(actor=request.user, village=village, **changes)
        except (ValidationError, PermissionDenied) as error:
            raise _api_error(error) from error
        return self._answer(visit, status.HTTP_201_CREATED)

    @extend_schema(responses={200: VisitSerializer})
    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        visit = self.get_object()  # 404 outside the caller's scope
        serializer = VisitWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        # A partial serializer applies no defaults: a PATCH changes only the fields sent.
        data = serializer.validated_data
        changes = {key: data[key] for key in VISIT_FIELDS if key in data}
        if "desa" in data:
            changes["village"] = _village(data["desa"])
        if "problems" in data:
            changes["problems"] = _problems(request.user, data["problems"], visit=visit)
        try:
            services.visit_update(actor=request.user, visit=visit, **changes)
        except (ValidationError, PermissionDenied) as error:
            raise _api_error(error) from error
        return self._answer(visit)

    @extend_schema(responses={200: VisitSerializer})
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)


def _village(code: str) -> Village:
    village = Village.objects.filter(code=code.strip()).first()
    if village is None:
        raise serializers.ValidationError({"desa": [_("No desa has this code.")]})
    return village


def _problems(user, references: list[str], *, visit: Visit | None = None) -> list[Problem]:
    """As the visit form: open problems of the officer's desa; on a correction, those the
    visit already links stay allowed even if closed since."""
    wanted = {reference.strip().upper() for reference in references}
    if not wanted:
        return []
    allowed = Q(village__in=scope.workable_villages(user), status__in=OPEN_STATUSES)
    if visit is not None:
        allowed |= Q(visits=visit)
    found = list(Problem.objects.filter(allowed, reference__in=wanted, is_hidden=False).distinct())
    unknown = sorted(wanted - {problem.reference for problem in found})
    if unknown:
        raise serializers.ValidationError(
            {
                "problems": [
                    _("Not an open problem of your desa: %(references)s")
                    % {"references": ", ".join(unknown)}
                ]
            }
        )
    return found


def _api_error(error: Exception):
    """The service's error, its `village` field named `desa` as in the request."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        error = ValidationError(
            {
                ("desa" if key == "village" else key): value
                for key, value in error.error_dict.items()
            }
        )
    return as_api_error(error)
