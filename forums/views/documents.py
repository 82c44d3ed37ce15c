"""The minutes to print (a page and a PDF), the calendar feed, and meeting files."""

import mimetypes

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from forums import calendar, pdf, selectors
from forums.models import Member
from portal import audit


def _signatories(meeting) -> dict:
    """Who signs the notulen: the sitting secretary and chair, and the desa's officer."""
    forum = meeting.forum
    day = forum.local(meeting.scheduled_at).date()
    names = dict(
        Member.objects.active(day)
        .filter(forum=forum, role__in=[Member.Role.SECRETARY, Member.Role.CHAIR])
        .order_by("joined_on")
        .values_list("role", "name")
    )
    officer = ""
    recorder = meeting.recorded_by
    if recorder is not None and recorder.is_police and hasattr(recorder, "officer"):
        officer = f"{recorder.officer.get_rank_display()} {recorder.name}"
    else:
        from officers.models import Assignment

        assignment = (
            Assignment.objects.active(day)
            .filter(village_id=forum.village_id, is_primary=True)
            .select_related("officer__user")
            .first()
        )
        if assignment is not None:
            officer = f"{assignment.officer.get_rank_display()} {assignment.officer.user.name}"
    return {
        "secretary_name": names.get(Member.Role.SECRETARY, ""),
        "chair_name": names.get(Member.Role.CHAIR, ""),
        "officer_name": officer,
    }


@require_GET
@login_required
def meeting_print(request, pk: int, meeting_pk: int):
    from django.shortcuts import render

    meeting = selectors.meeting_for_user_or_404(request.user, pk, meeting_pk)
    return render(
        request,
        "forums/meeting_print.html",
        {
            "forum": meeting.forum,
            "meeting": meeting,
            "attendance": list(meeting.attendance.all()),
            "problem_links": list(meeting.problem_links.all()),
            "action_items": list(meeting.action_items.all()),
            **_signatories(meeting),
        },
    )


@require_GET
@login_required
def meeting_pdf(request, pk: int, meeting_pk: int):
    meeting = selectors.meeting_for_user_or_404(request.user, pk, meeting_pk)
    content = pdf.minutes_pdf(
        meeting,
        attendance=list(meeting.attendance.all()),
        problem_links=list(meeting.problem_links.all()),
        action_items=list(meeting.action_items.all()),
        viewer=request.user,
        **_signatories(meeting),
    )
    local = meeting.forum.local(meeting.scheduled_at)
    audit.record(
        actor=request.user,
        action=audit.Action.EXPORTED,
        target=meeting,
        request=request,
        kind="forum_minutes",
        format="pdf",
        forum=meeting.forum_id,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="notulen-fkpm-{meeting.forum_id}-{local:%Y-%m-%d}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _calendar_response(request, forum):
    link = request.build_absolute_uri(reverse("forums:public", args=[forum.pk]))
    body = calendar.feed(forum, host=request.get_host().split(":")[0], link=link)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="fkpm-{forum.pk}.ics"'
    return response


@require_GET
def calendar_public(request, pk: int):
    """A public forum's calendar: anyone may subscribe."""
    forum = selectors.forum_public_or_404(request.user, pk)
    if not forum.is_public:
        raise Http404
    response = _calendar_response(request, forum)
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def calendar_private(request, pk: int, token: str):
    """Any forum's calendar through its secret link: a phone calendar cannot sign in."""
    forum = selectors.forum_by_calendar_token_or_404(pk, token)
    response = _calendar_response(request, forum)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
def meeting_file(request, file_pk: int, small: bool = False):
    """Meeting photos and attendance sheets are never static files: each request checks that
    the user may read the forum's record (404 otherwise). `small`: the thumbnail the meeting
    page shows, where there is one."""
    item = selectors.file_visible_or_404(request.user, file_pk)
    file = item.thumbnail if small and item.thumbnail else item.image
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    response = FileResponse(file.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
