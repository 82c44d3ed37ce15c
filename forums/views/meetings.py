"""A meeting: its page (agenda, attendance, minutes, problems, decisions, files), recording it,
cancelling it, and the action items."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from forums import selectors, services
from forums.forms import (
    ActionItemForm,
    ActionStatusForm,
    CancelForm,
    FilesForm,
    LinkProblemForm,
    MeetingPlanForm,
    MeetingTimeForm,
    RaiseProblemForm,
    RecordForm,
)
from forums.models import ActionItem, Meeting, MeetingProblem, Member
from forums.views.common import PAGE_SIZE, form_errors, require
from issues.models import Problem
from issues.photos import prepare_photos
from issues.workflow import OPEN_STATUSES
from territory.models import Village

# The problem picker lists this many of the desa's problems (open ones first).
PICKER_SIZE = 100


def _meeting_or_404(user, pk: int, meeting_pk: int) -> Meeting:
    return selectors.meeting_for_user_or_404(user, pk, meeting_pk)


def _recordable_meeting_or_404(user, pk: int, meeting_pk: int) -> Meeting:
    meeting = _meeting_or_404(user, pk, meeting_pk)
    require(selectors.can_record(user, meeting.forum))
    return meeting


def _members_for(meeting: Meeting):
    """Members who belonged to the forum on the meeting's day, and any already ticked."""
    day = meeting.forum.local(meeting.scheduled_at).date()
    ticked = [a.member_id for a in meeting.attendance.all()]
    active = Member.objects.active(day).filter(forum_id=meeting.forum_id).values("pk")
    return Member.objects.filter(pk__in=active) | Member.objects.filter(pk__in=ticked)


def _covered_villages(meeting: Meeting):
    forum = meeting.forum
    return Village.objects.filter(
        pk__in=[forum.village_id, *forum.other_villages.values_list("pk", flat=True)]
    ).order_by("name")


def _picker(meeting: Meeting, user) -> list[Problem]:
    """The open problems of the forum's desa not yet on the agenda that the user may put on
    it, newest first."""
    problems = selectors.linkable_problems(meeting, viewer=user).filter(status__in=OPEN_STATUSES)
    return list(problems[:PICKER_SIZE])


def _detail_context(request, meeting: Meeting, **forms) -> dict:
    user = request.user
    can_record = selectors.can_record(user, meeting.forum)
    links = list(meeting.problem_links.all())
    action_items = list(meeting.action_items.all())
    earlier_items = list(selectors.open_items_of(meeting.forum, before=meeting))
    carried_over = (
        selectors.carried_over_problems(meeting) if meeting.status != Meeting.Status.HELD else []
    )
    context = {
        "forum": meeting.forum,
        "meeting": meeting,
        "can_record": can_record,
        # One more query only for a Kapolsek or Polres reading a planned meeting.
        "can_reschedule": meeting.is_planned and selectors.can_plan(user, meeting.forum),
        # The record form opens once the meeting has taken place (the service refuses earlier).
        "recordable_now": meeting.scheduled_at <= timezone.now() + services.RECORD_AHEAD,
        "attendance": list(meeting.attendance.all()),
        "problem_links": links,
        "reviewed_links": [link for link in links if link.kind == MeetingProblem.Kind.REVIEWED],
        "discussed_links": [link for link in links if link.kind != MeetingProblem.Kind.REVIEWED],
        "action_items": action_items,
        "files": list(meeting.files.all()),
        "earlier_items": earlier_items,
        "carried_over": carried_over,
        # Where each problem's reference may link, asked once for the whole page.
        "problem_pages": selectors.problem_pages_for(
            user,
            [
                *(link.problem_id for link in links),
                *(item.problem_id for item in [*action_items, *earlier_items]),
                *carried_over,
            ],
        ),
    }
    if can_record and meeting.status in (Meeting.Status.PLANNED, Meeting.Status.HELD):
        members = _members_for(meeting).order_by("name")
        context.update(
            link_form=forms.get("link_form") or LinkProblemForm(problems=_picker(meeting, user)),
            action_form=forms.get("action_form")
            or ActionItemForm(
                members=members,
                problems=Problem.objects.filter(pk__in=[link.problem_id for link in links]),
                viewer=user,
            ),
            files_form=forms.get("files_form") or FilesForm(),
            cancel_form=forms.get("cancel_form") or CancelForm(),
            status_form=ActionStatusForm(),
        )
    return context


@require_GET
@login_required
def meeting_detail(request, pk: int, meeting_pk: int):
    meeting = _meeting_or_404(request.user, pk, meeting_pk)
    return render(request, "forums/meeting_detail.html", _detail_context(request, meeting))


def _redirect_to_meeting(pk: int, meeting_pk: int, *, anchor: str):
    """Back to the meeting page at what was just added. The form posted to an address ending
    with its own anchor, and a redirect without one keeps it: the page opened far down at the
    emptied form, the message saying it was saved out of view at the top (on a phone)."""
    return redirect(f"{reverse('forums:meeting', args=[pk, meeting_pk])}#{anchor}")


def _render_detail(request, meeting, **forms):
    return render(
        request,
        "forums/meeting_detail.html",
        _detail_context(request, meeting, **forms),
        status=400,
    )


@require_http_methods(["GET", "POST"])
@login_required
def meeting_plan(request, pk: int):
    forum = selectors.forum_for_user_or_404(request.user, pk)
    require(selectors.can_plan(request.user, forum))
    initial = {}
    if schedule := getattr(forum, "schedule", None):
        initial = {"place": schedule.place, "time": schedule.time}
    form = MeetingPlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_plan(
                actor=request.user,
                forum=forum,
                scheduled_at=form.scheduled_at(forum.timezone),
                place=form.cleaned_data["place"],
                duration_minutes=form.cleaned_data["duration_minutes"],
                held_already=form.cleaned_data["held_already"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            if form.cleaned_data["held_already"]:
                messages.success(request, _("Meeting added. Now record who came and the minutes."))
                return redirect("forums:meeting_record", forum.pk, meeting.pk)
            messages.success(request, _("Meeting planned."))
            return redirect("forums:meeting", forum.pk, meeting.pk)
    return render(request, "forums/meeting_plan.html", {"form": form, "forum": forum})


@require_http_methods(["GET", "POST"])
@login_required
def meeting_reschedule(request, pk: int, meeting_pk: int):
    """Another date, time or place for a planned meeting."""
    meeting = _meeting_or_404(request.user, pk, meeting_pk)
    require(selectors.can_plan(request.user, meeting.forum))
    if refusal := services.reschedule_refusal(meeting):
        messages.error(request, refusal)
        return redirect("forums:meeting", pk, meeting_pk)
    form = MeetingTimeForm(request.POST or None, initial=MeetingTimeForm.initial_for(meeting))
    if request.method == "POST" and form.is_valid():
        before = (meeting.scheduled_at, meeting.place, meeting.duration_minutes)
        try:
            services.meeting_reschedule(
                actor=request.user,
                meeting=meeting,
                scheduled_at=form.scheduled_at(meeting.forum.timezone),
                place=form.cleaned_data["place"],
                duration_minutes=form.cleaned_data["duration_minutes"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            if before == (meeting.scheduled_at, meeting.place, meeting.duration_minutes):
                messages.info(
                    request, _("Nothing changed: the date, time and place are as before.")
                )
            else:
                messages.success(request, _("Meeting rescheduled."))
            return redirect("forums:meeting", pk, meeting_pk)
    return render(
        request,
        "forums/meeting_reschedule.html",
        {"form": form, "forum": meeting.forum, "meeting": meeting},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def meeting_record(request, pk: int, meeting_pk: int):
    """Attendance and minutes; saving marks the meeting held (or corrects a held one)."""
    meeting = _recordable_meeting_or_404(request.user, pk, meeting_pk)
    if meeting.status == Meeting.Status.CANCELLED:
        messages.error(request, _("A cancelled meeting cannot be recorded."))
        return redirect("forums:meeting", pk, meeting_pk)
    if services.too_early_to_record(meeting):
        # Said before the form is filled in, not after.
        messages.error(request, _("A meeting can be recorded once it has taken place."))
        return redirect("forums:meeting", pk, meeting_pk)
    carried = selectors.carried_over_problems(meeting)
    carried_qs = Problem.objects.filter(pk__in=[p.pk for p in carried])
    members = _members_for(meeting).order_by("name")
    initial = RecordForm.initial_for(
        meeting,
        members_present=[a.member for a in meeting.attendance.all()],
        carried_over=[
            link.problem for link in meeting.problem_links.all() if link.kind == "reviewed"
        ]
        if meeting.is_held
        else carried,
    )
    form = RecordForm(
        request.POST or None,
        members=members,
        carried_over=carried_qs,
        viewer=request.user,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_record(
                actor=request.user,
                meeting=meeting,
                members_present=data["members_present"],
                minutes=data["minutes"],
                other_men=data["other_men"],
                other_women=data["other_women"],
                other_by_group=form.other_by_group(),
                police_present=data["police_present"],
                partners_present=data["partners_present"],
                summary=data["summary"],
                minutes_internal=data["minutes_internal"],
                reviewed_problems=data["reviewed"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Meeting recorded as held."))
            return redirect("forums:meeting", pk, meeting_pk)
    return render(
        request,
        "forums/meeting_record.html",
        {"form": form, "forum": meeting.forum, "meeting": meeting, "carried_over": carried},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def meeting_cancel(request, pk: int, meeting_pk: int):
    meeting = _recordable_meeting_or_404(request.user, pk, meeting_pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_cancel(
                actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Meeting cancelled."))
            return redirect("forums:meeting", pk, meeting_pk)
    return _render_detail(request, meeting, cancel_form=form)


@require_POST
@login_required
def meeting_link_problem(request, pk: int, meeting_pk: int):
    meeting = _recordable_meeting_or_404(request.user, pk, meeting_pk)
    form = LinkProblemForm(request.POST, problems=_picker(meeting, request.user))
    if form.is_valid():
        problem = selectors.linkable_problems(meeting, viewer=request.user).filter(
            pk=form.cleaned_data["problem"]
        )
        try:
            if not problem.exists():
                raise ValidationError({"problem": _("Choose a problem of this forum's desa.")})
            services.meeting_link_problem(
                actor=request.user,
                meeting=meeting,
                problem=problem.get(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Problem put on the agenda."))
            return _redirect_to_meeting(pk, meeting_pk, anchor="problems-heading")
    return _render_detail(request, meeting, link_form=form)


@require_http_methods(["GET", "POST"])
@login_required
def meeting_raise_problem(request, pk: int, meeting_pk: int):
    """A problem raised at the meeting: filed into the problems workflow from here."""
    meeting = _recordable_meeting_or_404(request.user, pk, meeting_pk)
    require(meeting.status in (Meeting.Status.PLANNED, Meeting.Status.HELD))
    villages = _covered_villages(meeting)
    form = RaiseProblemForm(request.POST or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            problem = services.meeting_raise_problem(actor=request.user, meeting=meeting, **data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _("Problem %(reference)s filed and put on the agenda.")
                % {"reference": problem.reference},
            )
            return redirect("forums:meeting", pk, meeting_pk)
    return render(
        request,
        "forums/raise_problem.html",
        {"form": form, "forum": meeting.forum, "meeting": meeting},
    )


@require_POST
@login_required
def action_item_add(request, pk: int, meeting_pk: int):
    meeting = _recordable_meeting_or_404(request.user, pk, meeting_pk)
    links = list(meeting.problem_links.all())
    form = ActionItemForm(
        request.POST,
        members=_members_for(meeting),
        problems=Problem.objects.filter(pk__in=[link.problem_id for link in links]),
        viewer=request.user,
    )
    if form.is_valid():
        try:
            item = services.action_item_add(
                actor=request.user, meeting=meeting, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Action item added."))
            return _redirect_to_meeting(pk, meeting_pk, anchor=item.anchor)
    return _render_detail(request, meeting, action_form=form)


@require_POST
@login_required
def meeting_add_files(request, pk: int, meeting_pk: int):
    meeting = _recordable_meeting_or_404(request.user, pk, meeting_pk)
    form = FilesForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.meeting_add_files(
                actor=request.user,
                meeting=meeting,
                kind=form.cleaned_data["kind"],
                files=prepare_photos(form.cleaned_data["files"]),
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Files added."))
            return _redirect_to_meeting(pk, meeting_pk, anchor="files-heading")
    return _render_detail(request, meeting, files_form=form)


@require_GET
@login_required
def action_item_list(request):
    """Open action items of the user's forums, overdue and soonest due first. Five queries
    whatever the page size."""
    items = selectors.open_action_items_for(request.user)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    forum_ids = {item.forum_id for item in page.object_list}
    recordable = (
        set(
            selectors.forums_recordable_by(request.user)
            .filter(pk__in=forum_ids)
            .values_list("pk", flat=True)
        )
        if forum_ids
        else set()
    )
    return render(
        request,
        "forums/action_items.html",
        {
            "page_obj": page,
            "recordable": recordable,
            "status_form": ActionStatusForm(),
            "problem_pages": selectors.problem_pages_for(
                request.user, [item.problem_id for item in page.object_list]
            ),
        },
    )


@require_POST
@login_required
def action_item_status(request, item_pk: int):
    item = get_object_or_404(
        ActionItem.objects.select_related("forum", "meeting").filter(
            forum__in=selectors.forums_recordable_by(request.user)
        ),
        pk=item_pk,
    )
    form = ActionStatusForm(request.POST)
    failed = False
    if form.is_valid():
        try:
            services.action_item_set_status(
                actor=request.user,
                item=item,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            # Tagged with the item: its row shows the message too, with its form open.
            messages.error(request, " ".join(error.messages), extra_tags=item.anchor)
            failed = True
        else:
            messages.success(request, _("Action item updated."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    target = target or reverse("forums:meeting", args=[item.forum_id, item.meeting_id])
    # A failed update comes back to its row (far down a long page), not to the page's top.
    return redirect(f"{target}#{item.anchor}" if failed else target)
