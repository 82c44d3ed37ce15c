from django.shortcuts import render
from django.utils.translation import gettext as _

from portal import ratelimit

# (limit, seconds): generous for a family sharing one phone, tight for a script.
FILING_PER_IP = (10, 3600)
FILING_PER_USER = (10, 3600)
COMMENT_PER_IP = (30, 3600)
COMMENT_PER_USER = (30, 3600)
TRACKING_PER_IP = (30, 600)


def too_many(request):
    return render(
        request,
        "issues/too_many.html",
        {"message": _("You have sent this too often. Please wait a while and try again.")},
        status=429,
    )


def allow_filing(request) -> bool:
    """Counts a report about to be filed (callers check it once the report is valid: a
    resident correcting a form spends nothing). A signed-in resident is counted by account
    only: behind a mobile carrier's shared address, a whole town may share one IP."""
    per_ip = None if request.user.is_authenticated else FILING_PER_IP
    return ratelimit.allow(request, action="file", per_ip=per_ip, per_user=FILING_PER_USER)


def allow_comment(request) -> bool:
    return ratelimit.allow(
        request, action="comment", per_ip=COMMENT_PER_IP, per_user=COMMENT_PER_USER
    )


def tracked_ids(request) -> list[int]:
    return list(request.session.get("tracked_problems", []))


def remember_tracked(request, problem_id: int) -> None:
    """A browser that opened a tracking link may see that problem's photos."""
    tracked = tracked_ids(request)
    if problem_id not in tracked:
        request.session["tracked_problems"] = [*tracked[-19:], problem_id]
