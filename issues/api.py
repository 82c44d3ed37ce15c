"""Problems over the API: filing (as a resident or anonymously), reading within the caller's
scope, and moving through the SARA cycle, through the same services and selectors as the
pages."""

from zoneinfo import ZoneInfo

import django_filters
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from issues import selectors, services
from issues.forms import ProblemForm
from issues.models import Category, Problem, ProblemEvent, VulnerableGroup
from issues.photos import prepare_photos
from issues.workflow import Status
from portal.api.errors import Conflict, as_api_error
from portal.api.schema import CONFLICT
from portal.api.throttling import check_filing_allowed
from portal.validators import lookup_key
from territory.models import Village


class CategorySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="label")

    class Meta:
        model = Category
        fields = ["code", "name", "always_private"]


class ReporterSerializer(serializers.Serializer):
    """Only for the police who work on the problem, and operators."""

    name = serializers.CharField()
    named = serializers.BooleanField()
    phone = serializers.CharField()
    email = serializers.CharField()


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProblemEvent
        fields = ["kind", "from_status", "to_status", "note", "is_public", "created_at"]


# What a public report does not show (the privacy notice the reporter agreed to: category,
# title, status and the officers' public notes): null or empty unless the caller is the police
# of its area, an operator, or the reporter.
WITHHELD_FROM_PUBLIC = {
    "location_text": "",
    "latitude": None,
    "longitude": None,
    "vulnerable_groups": [],
    "description": "",
    "occurred_at": None,
}


def sees_whole_report(request, problem: Problem) -> bool:
    user = request.user
    return problem.in_area or (user.is_authenticated and problem.reporter_id == user.pk)


class ProblemSerializer(serializers.ModelSerializer):
    desa = serializers.CharField(source="village.code")
    desa_name = serializers.CharField(source="village.name")
    category = serializers.CharField(source="category.code")
    category_name = serializers.CharField(source="category.label")

    class Meta:
        model = Problem
        fields = [
            "reference",
            "desa",
            "desa_name",
            "category",
            "category_name",
            "title",
            "status",
            "is_private",
            "location_text",
            "latitude",
            "longitude",
            "vulnerable_groups",
            "source",
            "created_at",
            "updated_at",
            "resolved_at",
        ]

    def to_representation(self, problem: Problem):
        data = super().to_representation(problem)
        if not sees_whole_report(self.context["request"], problem):
            data.update({k: v for k, v in WITHHELD_FROM_PUBLIC.items() if k in data})
        return data


class ProblemDetailSerializer(ProblemSerializer):
    """One problem's full record. The reporter's identity is here only, never in a list: each
    response that shows it is recorded in the audit trail (`reporter_identity_shown`)."""

    reporter = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    photo_thumbnails = serializers.SerializerMethodField()

    class Meta(ProblemSerializer.Meta):
        fields = [
            *ProblemSerializer.Meta.fields,
            "reporter",
            "description",
            "occurred_at",
            "events",
            "photos",
            "photo_thumbnails",
        ]

    @extend_schema_field(ReporterSerializer(allow_null=True))
    def get_reporter(self, problem: Problem):
        if not problem.reporter_visible:
            return None
        reporter = problem.reporter
        return {
            "name": problem.reporter_display,
            "named": problem.reporter_named,
            "phone": problem.contact_phone,
            "email": reporter.email if reporter else problem.contact_email,
        }

    @extend_schema_field(EventSerializer(many=True))
    def get_events(self, problem: Problem):
        events = [
            e for e in problem.events.all() if not e.is_hidden and (e.is_public or problem.in_area)
        ]
        return EventSerializer(events, many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.URLField()))
    def get_photos(self, problem: Problem) -> list[str]:
        return self._photo_urls(problem, "issues:photo")

    @extend_schema_field(serializers.ListField(child=serializers.URLField()))
    def get_photo_thumbnails(self, problem: Problem) -> list[str]:
        """The same photos as 300 px squares (about 20 KB each), in the same order."""
        return self._photo_urls(problem, "issues:photo_small")

    def _photo_urls(self, problem: Problem, url_name: str) -> list[str]:
        request = self.context["request"]
        # Photos added later for the police stay with the police (and the reporter's account).
        everything = sees_whole_report(request, problem)
        return [
            request.build_absolute_uri(reverse(url_name, args=[p.pk]))
            for p in problem.photos.all()
            if everything or p.is_public
        ]


class FileProblemSerializer(serializers.Serializer):
    """The web form's fields (issues.forms.ProblemForm validates them, the same rules)."""

    desa = serializers.CharField(help_text="The desa's official code, e.g. 32.04.01.2001")
    category = serializers.SlugField()
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=5000)
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)
    location_text = serializers.CharField(max_length=200, required=False, allow_blank=True)
    latitude = serializers.DecimalField(
        max_digits=8, decimal_places=6, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True
    )
    vulnerable_groups = serializers.ListField(
        child=serializers.ChoiceField(choices=VulnerableGroup.choices), required=False
    )
    wants_private = serializers.BooleanField(required=False, default=False)
    reporter_named = serializers.BooleanField(
        required=False, default=False, help_text="Signed-in residents only"
    )
    contact_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    consent = serializers.BooleanField(
        help_text="The reporter agrees to how the report is used (UU 27/2022)"
    )
    photos = serializers.ListField(child=serializers.ImageField(), required=False, max_length=3)


class FiledSerializer(serializers.Serializer):
    reference = serializers.CharField()
    tracking_code = serializers.CharField(help_text="Shown once; it is stored only as a hash")
    tracking_url = serializers.URLField()


class TransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=Status.choices)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    is_public = serializers.BooleanField(required=False, default=False)
    duplicate_of = serializers.CharField(max_length=20, required=False, allow_blank=True)
    referred_to = serializers.CharField(max_length=200, required=False, allow_blank=True)
    resolution = serializers.ChoiceField(
        choices=Problem.Resolution.choices, required=False, allow_blank=True
    )


class ProblemFilter(django_filters.FilterSet):
    desa = django_filters.CharFilter(field_name="village__code")
    category = django_filters.CharFilter(field_name="category__code")
    # "open" as on the problem list page: every status still in the SARA cycle, one call.
    status = django_filters.ChoiceFilter(
        choices=[("open", gettext_lazy("Open")), *Status.choices], method="filter_status"
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue")

    class Meta:
        model = Problem
        fields = ["desa", "category", "status", "overdue"]

    def filter_status(self, problems, name, value):
        return selectors.filter_problems(problems, status=value)

    def filter_overdue(self, problems, name, value):
        if value:
            return selectors.overdue_problems(problems)
        return problems


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CategorySerializer
    permission_classes = [permissions.AllowAny]
    queryset = Category.objects.filter(is_active=True).order_by("position", "name")
    lookup_field = "code"
    pagination_class = None


class ProblemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Anyone reads the public problems and files one; a resident also reads their own, the
    police and operators every problem of their area (their list holds only those). The
    reporter's identity only for the police who may work on the problem, and operators."""

    lookup_field = "reference"
    filterset_class = ProblemFilter

    def get_permissions(self):
        if self.action == "transition":
            return [permissions.IsAuthenticated()]
        return [permissions.AllowAny()]

    def get_serializer_class(self):
        if self.action == "create":
            return FileProblemSerializer
        if self.action == "transition":
            return TransitionSerializer
        if self.action == "retrieve":
            return ProblemDetailSerializer
        return ProblemSerializer

    def get_queryset(self):
        user = self.request.user
        problems = selectors.problems_listed_for_api(user)
        if self.action == "list" and user.is_authenticated and (user.is_police or user.is_operator):
            # The police list their area's problems, what they work on; a public problem
            # elsewhere is still readable by its reference.
            problems = problems.filter(in_area=True)
        if self.action == "retrieve":
            problems = problems.select_related("reporter").prefetch_related("events", "photos")
        return problems.order_by("-created_at", "-pk")

    def retrieve(self, request, *args, **kwargs):
        problem = self.get_object()
        data = self.get_serializer(problem).data
        if problem.reporter_visible:
            services.reporter_identity_shown(actor=request.user, problem=problem, request=request)
        return Response(data)

    @extend_schema(responses={201: FiledSerializer})
    def create(self, request, *args, **kwargs):
        desa = request.data.get("desa") if hasattr(request.data, "get") else None
        # Stripped as the serializer's CharField strips it.
        village = Village.objects.filter(code=lookup_key(desa)).first()
        # A time without an offset is the desa's local time, as on the web form.
        with timezone.override(ZoneInfo(village.timezone) if village else None):
            serializer = FileProblemSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            if village is None:
                raise serializers.ValidationError({"desa": [_("No desa has this code.")]})
            form = ProblemForm(
                _form_data(serializer.validated_data), _form_files(request), user=request.user
            )
            valid = form.is_valid()
        if not valid:
            raise serializers.ValidationError(
                {
                    "non_field_errors" if field == "__all__" else field: [
                        e["message"] for e in errs
                    ]
                    for field, errs in form.errors.get_json_data().items()
                }
            )
        check_filing_allowed(request)
        try:
            filed = form.file(
                actor=request.user,
                village=village,
                photos=prepare_photos(form.cleaned_data["photos"]),
                source=Problem.Source.API,
            )
        except ValidationError as error:
            raise as_api_error(error) from error
        reference, code = filed.problem.reference, filed.tracking_code
        body = {
            "reference": reference,
            "tracking_code": code,
            "tracking_url": request.build_absolute_uri(
                reverse("issues:track", args=[reference, code])
            ),
        }
        return Response(FiledSerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=TransitionSerializer,
        responses={200: ProblemDetailSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, reference=None, format=None):
        """Move the problem to its next SARA stage (police of the problem's area)."""
        workable = selectors.problems_workable_by(request.user)
        problem = workable.filter(reference=reference).select_related("village").first()
        if problem is None:
            # 404 when it does not exist or lies outside what the caller may read; 403 when
            # the caller reads it (its reporter, a Polda viewer) but may not work on it.
            self.get_object()
            raise exceptions.PermissionDenied(_("You may not work on this problem."))
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        duplicate_of = None
        if data.get("duplicate_of"):
            duplicate_of = workable.filter(reference=data["duplicate_of"].strip().upper()).first()
            if duplicate_of is None and data["to_status"] == Status.DUPLICATE:
                # A reference was given: "give the reference" would be the wrong answer, as on
                # the problem page (issues.views.work).
                raise serializers.ValidationError(
                    {"duplicate_of": [_("No problem with that reference in your area.")]}
                )
        try:
            services.problem_transition(
                actor=request.user,
                problem=problem,
                to_status=data["to_status"],
                note=data.get("note", ""),
                is_public=data["is_public"],
                duplicate_of=duplicate_of,
                referred_to=data.get("referred_to", ""),
                resolution=data.get("resolution", ""),
            )
        except services.TransitionConflict as error:
            raise Conflict(error.messages[0]) from error
        except ValidationError as error:
            raise as_api_error(error) from error
        problem = self.get_object()
        data = ProblemDetailSerializer(problem, context={"request": request}).data
        if problem.reporter_visible:
            services.reporter_identity_shown(actor=request.user, problem=problem, request=request)
        return Response(data)


def _form_data(validated: dict) -> dict:
    data = {key: value for key, value in validated.items() if key != "photos"}
    data["category"] = (
        Category.objects.filter(code=validated["category"]).values_list("pk", flat=True).first()
    )
    for flag in ("wants_private", "reporter_named", "consent"):
        if not data.get(flag):
            data.pop(flag, None)  # an unchecked box is absent from a form's data
    for key in ("occurred_at", "latitude", "longitude"):
        if data.get(key) is None:
            data.pop(key, None)
        elif key == "occurred_at":
            data[key] = data[key].strftime("%Y-%m-%d %H:%M")
    return data


def _form_files(request):
    return MultiValueDict({"photos": request.FILES.getlist("photos")}) if request.FILES else None
