from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from portal import views
from territory.admin import place_autocomplete_view

handler404 = "portal.api.errors.not_found"

# The admin signs in through allauth: its rate limits and two-factor step, not a second door.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Polmas Portal"
admin.site.site_title = "Polmas Portal"
admin.site.autocomplete_view = place_autocomplete_view

urlpatterns = [
    path("", views.home, name="home"),
    path("home/", views.landing, name="landing"),
    path("healthz/", views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("desa/", include("territory.urls")),
    path("", include("issues.urls")),
    path("", include("officers.urls")),
    path("", include("forums.urls")),
    path("", include("metrics.urls_data")),
    path("", include("metrics.urls")),
    path("open311/v2/", include("issues.open311.urls")),
    path("api/v1/", include("portal.api.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
