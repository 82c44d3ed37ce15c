from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from portal import views

admin.site.site_header = "Polmas Portal"
admin.site.site_title = "Polmas Portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("home/", views.landing, name="landing"),
    path("healthz/", views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("accounts.urls")),
    path("desa/", include("territory.urls")),
    path("", include("issues.urls")),
    path("", include("officers.urls")),
    path("", include("forums.urls")),
    path("", include("metrics.urls_data")),
    path("", include("metrics.urls")),
    path("api/v1/", include("portal.api.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
