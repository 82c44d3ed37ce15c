from django.urls import path, register_converter

from metrics.models import IndicatorValue
from metrics.views import dashboards, exports


class LevelConverter:
    """desa, polsek, polres, polda or nation: the levels of the computed indicators."""

    regex = "|".join(IndicatorValue.Level.values)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


register_converter(LevelConverter, "dashboard_level")

app_name = "metrics"
urlpatterns = [
    path("dasbor/", dashboards.dashboard_home, name="dashboard_home"),
    path("dasbor/definisi/", dashboards.definitions, name="definitions"),
    path(
        "dasbor/<dashboard_level:level>/<str:code>/",
        dashboards.dashboard,
        name="dashboard",
    ),
    path(
        "dasbor/<dashboard_level:level>/<str:code>/ekspor/<slug:table>.<slug:fmt>",
        exports.export_table,
        name="export",
    ),
    path(
        "dasbor/<dashboard_level:level>/<str:code>/laporan.pdf",
        exports.monthly_report,
        name="report_pdf",
    ),
]
