"""The officers' and commanders' side: lists of problems in their area and the SARA work."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from issues import selectors, services
from issues.forms import AssignForm, CommentForm, ProblemFilterForm, TransitionForm
from issues.models import Problem
from issues.photos import prepare_photos
from issues.views.common import allow_comment, too_many
from issues.views.tracking import reporter_page
from issues.workflow import Status, allowed_targets
from officers.models import Officer

PAGE_SIZE = 25


def _staff_only(user) -> None:
    if not (user.is_police or user.is_operator):
        raise Http404


@require_GET
@login_required
def problem_list(request):
    """Every problem of the user's area, newest first. The same queries whatever the page size
    (five: the tests count them)."""
    user = request.user
    if user.role == User.Role.RESIDENT:
        return _my_reports(request)
    _staff_only(user)
    problems = selectors.problems_visible_to(user)
    form = ProblemFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["desa"]:
            problems = problems.filter(village__in=selectors.villages_matching(user, data["desa"]))
        problems = selectors.filter_problems(
            problems,
            status=data["status"],
            category=data["category"],
            older_than_days=data["older_than_days"],
            overdue=data["overdue"],
        )
    problems = selectors.with_list_joins(problems).order_by("-created_at")
    page = Paginator(problems, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "issues/list.html", {"form": form, "page_obj": page})


def _my_reports(request):
    problems = selectors.with_list_joins(selectors.problems_visible_to(request.user))
    page = Paginator(problems.order_by("-created_at"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "issues/my_reports.html", {"page_obj": page})


@require_http_methods(["GET", "POST"])
@login_required
def problem_detail(request, reference: str):
    problem = selectors.problem_for_user_or_404(request.user, reference)
    if request.user.role == User.Role.RESIDENT:
        return reporter_page(request, problem, template="issues/track.html")
    if request.method == "POST":
        raise Http404
    return _render_detail(request, problem)


# The heading of each form on the problem page (issues/detail.html).
_FORM_ANCHORS = {
    "transition_form": "step-heading",
    "assign_form": "assign-heading",
    "comment_form": "note-heading",
}


def _render_detail(request, problem, **forms):
    user = request.user
    workable = selectors.problems_workable_by(user).filter(pk=problem.pk).exists()
    can_see_reporter = selectors.can_see_reporter(user, problem)
    if can_see_reporter:
        services.reporter_identity_shown(actor=user, problem=problem, request=request)
    context = {
        "problem": problem,
        "events": [e for e in problem.events.all() if not e.is_hidden or user.is_operator],
        "photos": list(problem.photos.all()),
        "can_see_reporter": can_see_reporter,
        "name_withheld": selectors.name_withheld(problem),
        "follow_up": selectors.follow_up(problem),
        "workable": workable,
        # A form sent back with a mistake: on a phone it is far below the top of the page
        # where the browser shows the answer, so the top says so and links to it.
        "not_saved_anchor": next(
            (anchor for name, anchor in _FORM_ANCHORS.items() if name in forms), ""
        ),
    }
    if workable:
        context.update(
            transition_form=forms.get("transition_form")
            or TransitionForm(targets=allowed_targets(problem.status)),
            comment_form=forms.get("comment_form") or CommentForm(),
            assign_form=forms.get("assign_form")
            or AssignForm(
                officers=_officers_for(problem), initial={"officer": problem.assigned_to_id}
            ),
        )
    return render(request, "issues/detail.html", context, status=forms.get("status", 200))


def _officers_for(problem: Problem):
    return (
        Officer.objects.filter(
            user__role=User.Role.OFFICER, user__is_active=True, unit_id=problem.village.polsek_id
        )
        .select_related("user")
        .order_by("user__name")
    )


def _workable_or_404(user, reference: str) -> Problem:
    if not selectors.problems_workable_by(user).filter(reference=reference).exists():
        raise Http404
    return selectors.problem_for_user_or_404(user, reference)


@require_POST
@login_required
def problem_transition(request, reference: str):
    problem = _workable_or_404(request.user, reference)
    form = TransitionForm(request.POST, targets=allowed_targets(problem.status))
    if form.is_valid():
        data = form.cleaned_data
        duplicate_reference = data.get("duplicate_of", "")
        duplicate_of = None
        if duplicate_reference:
            duplicate_of = (
                selectors.problems_workable_by(request.user)
                .filter(reference=duplicate_reference.strip().upper())
                .first()
            )
        try:
            if data["to_status"] == Status.DUPLICATE and duplicate_reference and not duplicate_of:
                # A reference was typed: "give the reference" would be the wrong answer.
                raise ValidationError(
                    {"duplicate_of": _("No problem with that reference in your area.")}
                )
            services.problem_transition(
                actor=request.user,
                problem=problem,
                to_status=data["to_status"],
                note=data["note"],
                is_public=data["is_public"],
                duplicate_of=duplicate_of,
                referred_to=data.get("referred_to", ""),
                resolution=data.get("resolution", ""),
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Status changed."))
            return redirect("issues:detail", reference)
    return _render_detail(request, problem, transition_form=form, status=400)


@require_POST
@login_required
def problem_comment(request, reference: str):
    problem = _workable_or_404(request.user, reference)
    if not allow_comment(request):
        return too_many(request)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            # A forged or oversized photo is the officer's mistake to fix, not a server error.
            services.problem_comment(
                actor=request.user,
                problem=problem,
                note=form.cleaned_data["note"],
                is_public=form.cleaned_data["is_public"],
                photos=prepare_photos(request.FILES.getlist("photos")),
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Note added."))
            return redirect("issues:detail", reference)
    return _render_detail(request, problem, comment_form=form, status=400)


@require_POST
@login_required
def problem_assign(request, reference: str):
    problem = _workable_or_404(request.user, reference)
    form = AssignForm(request.POST, officers=_officers_for(problem))
    if form.is_valid():
        try:
            services.problem_assign(
                actor=request.user, problem=problem, officer=form.cleaned_data["officer"]
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Assigned."))
            return redirect("issues:detail", reference)
    return _render_detail(request, problem, assign_form=form, status=400)


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
