from django.urls import path

from territory import views

app_name = "territory"
urlpatterns = [
    path("", views.village_search, name="village_search"),
    path("<str:code>/", views.village_detail, name="village_detail"),
]
