"""Data coming in: the crime statistics import (Polres and operators) and the resident
survey of each desa (public)."""

from django.urls import path

from metrics.views import crime, survey

app_name = "metrics_data"
urlpatterns = [
    path("statistik-kejahatan/impor/", crime.crime_import, name="crime_import"),
    path("statistik-kejahatan/impor/riwayat/", crime.crime_import_list, name="crime_imports"),
    path(
        "statistik-kejahatan/impor/templat.csv",
        crime.crime_import_template,
        name="crime_template",
    ),
    path("desa/<str:code>/survei/", survey.survey, name="survey"),
    path("desa/<str:code>/survei/terima-kasih/", survey.survey_thanks, name="survey_thanks"),
]
