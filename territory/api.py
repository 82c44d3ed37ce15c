"""The territory over the API, read only and public: desa with their kecamatan, regency and
Polsek, and the police units."""

import django_filters
from django.db.models import Q
from rest_framework import permissions, serializers, viewsets

from territory.models import PoliceUnit, Village


class VillageSerializer(serializers.ModelSerializer):
    kecamatan = serializers.CharField(source="district.name")
    kecamatan_code = serializers.CharField(source="district.code")
    regency = serializers.CharField(source="district.regency.name")
    polsek = serializers.CharField(source="polsek.code", allow_null=True)
    timezone = serializers.CharField(read_only=True)

    class Meta:
        model = Village
        fields = [
            "code",
            "name",
            "kind",
            "kecamatan",
            "kecamatan_code",
            "regency",
            "polsek",
            "population",
            "timezone",
        ]


class PoliceUnitSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.code", allow_null=True)

    class Meta:
        model = PoliceUnit
        fields = ["code", "name", "kind", "parent", "timezone"]


class VillageFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", help_text="Name or code")
    kecamatan = django_filters.CharFilter(field_name="district__code")
    polsek = django_filters.CharFilter(field_name="polsek__code")

    class Meta:
        model = Village
        fields = ["search", "kecamatan", "polsek"]

    def filter_search(self, villages, name, value):
        value = value.strip()
        return villages.filter(Q(name__icontains=value) | Q(code__startswith=value))


class VillageViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = VillageSerializer
    permission_classes = [permissions.AllowAny]
    filterset_class = VillageFilter
    lookup_field = "code"
    lookup_value_regex = r"[0-9.]+"
    queryset = Village.objects.select_related("district__regency", "polsek").order_by("code")


class PoliceUnitFilter(django_filters.FilterSet):
    parent = django_filters.CharFilter(field_name="parent__code")

    class Meta:
        model = PoliceUnit
        fields = ["kind", "parent"]


class PoliceUnitViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PoliceUnitSerializer
    permission_classes = [permissions.AllowAny]
    filterset_class = PoliceUnitFilter
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z0-9.\-]+"
    queryset = PoliceUnit.objects.select_related("parent").order_by("code")
