"""/api/v1/: each app's endpoints, the token, the OpenAPI schema and its interactive docs."""

from functools import wraps

from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from forums.api import ForumViewSet, MeetingViewSet
from issues.api import CategoryViewSet, ProblemViewSet
from metrics.api import IndicatorValueViewSet
from officers.api import VisitViewSet
from portal.api.tokens import obtain_token
from territory.api import PoliceUnitViewSet, VillageViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("desa", VillageViewSet, basename="village")
router.register("units", PoliceUnitViewSet, basename="unit")
router.register("categories", CategoryViewSet, basename="category")
router.register("problems", ProblemViewSet, basename="problem")
router.register("forums", ForumViewSet, basename="forum")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("visits", VisitViewSet, basename="visit")
router.register("indicators", IndicatorValueViewSet, basename="indicator")

# Swagger UI sets inline styles; its scripts are files served by the portal.
docs = csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["data:"]})(
    SpectacularSwaggerSplitView.as_view(url_name="api:schema")
)


def staff_only(view):
    """Anonymous callers go to sign-in; a signed-in resident gets 404 like any page outside
    their role (sending them to sign-in would bounce straight back: a redirect loop)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_police or request.user.is_operator):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


app_name = "api"
urlpatterns = [
    path("", include(router.urls)),
    path("token/", obtain_token, name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", staff_only(docs), name="docs"),
]
