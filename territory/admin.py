from django.contrib import admin

from territory.models import District, PoliceUnit, Province, Regency, Village


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


@admin.register(PoliceUnit)
class PoliceUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "timezone"]
    list_filter = ["kind", "timezone"]
    list_select_related = ["parent"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
