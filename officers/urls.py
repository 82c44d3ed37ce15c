from django.urls import path

from officers import views

app_name = "officers"
urlpatterns = [
    path("kunjungan/", views.visit_list, name="visits"),
    path("kunjungan/baru/", views.visit_create, name="visit_create"),
    path("kunjungan/<int:pk>/", views.visit_edit, name="visit_edit"),
    path("personel/", views.workload, name="workload"),
    path("personel/impor/", views.import_officers, name="import"),
    path("personel/desa/<str:code>/", views.reassign, name="reassign"),
]
