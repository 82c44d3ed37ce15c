from django.urls import path

from accounts import views

# Mounted at the root: the desa choice sits beside allauth's pages under accounts/, the
# resident's data rights under akun/.
app_name = "accounts"
urlpatterns = [
    path("accounts/my-desa/", views.choose_village, name="choose_village"),
    path("akun/data-saya/", views.my_data, name="my_data"),
    path("akun/data-saya/unduh/", views.my_data_download, name="my_data_download"),
    path("akun/tarik-diri/", views.withdraw, name="withdraw"),
]
