from django.urls import re_path

from issues.open311 import views

app_name = "open311"
FMT = r"\.(?P<fmt>json|xml)$"
urlpatterns = [
    re_path(rf"^discovery{FMT}", views.discovery, name="discovery"),
    re_path(rf"^services{FMT}", views.service_list, name="services"),
    re_path(rf"^services/(?P<service_code>[-\w]+){FMT}", views.service_definition, name="service"),
    re_path(rf"^requests{FMT}", views.request_list, name="requests"),
    re_path(
        rf"^requests/(?P<service_request_id>[-\w]+){FMT}", views.request_detail, name="request"
    ),
    # Anything else under /open311/v2/ answers in the spec's error format, not an HTML page.
    re_path(r"^(?P<path>.*)$", views.not_found),
]
