"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) at /open311/v2/.

The standard API of citizen-report tools (FixMyStreet, SeeClickFix): the problem categories are
its "services", public problems its "service requests". Only public problems are served, never
a reporter's identity; a POST files a problem through the same form validation, rate limit and
service as the web form.
"""
