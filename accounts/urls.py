from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("my-desa/", views.choose_village, name="choose_village"),
]
