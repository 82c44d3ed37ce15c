from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView

from territory.models import District, PoliceUnit, Province, Regency, Village


class PlaceAutocompleteJsonView(AutocompleteJsonView):
    """The admin's searches for a desa: a name often repeats within a Polres ("Desa
    Sukamulya" twice), so each is told apart by its kecamatan and code."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if isinstance(obj, Village):
            result["text"] = f"{obj} · Kec. {obj.district.name} · {obj.code}"
        return result


def place_autocomplete_view(request):
    return PlaceAutocompleteJsonView.as_view(admin_site=admin.site)(request)


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Regency)
class RegencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province", "polres"]
    list_filter = ["kind", "province"]
    list_select_related = ["province", "polres"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["province", "polres"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "regency", "polsek"]
    list_select_related = ["regency", "polsek"]
    search_fields = ["code", "name", "regency__name"]
    autocomplete_fields = ["regency", "polsek"]


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "district", "polsek"]
    list_filter = ["kind"]
    list_select_related = ["district", "polsek"]
    search_fields = ["code", "name", "district__name"]
    autocomplete_fields = ["district", "polsek"]
    show_full_result_count = False  # a COUNT(*) over 83,000 rows on every page is not needed

    def get_queryset(self, request):
        # The kecamatan is in every search result (PlaceAutocompleteJsonView). A queryset that
        # already selects related rows is not given list_select_related by the change list:
        # name the Polsek here too, or the list reads it desa by desa.
        return super().get_queryset(request).select_related(*self.list_select_related)


@admin.register(PoliceUnit)
class PoliceUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "timezone"]
    list_filter = ["kind", "timezone"]
    list_select_related = ["parent"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
