from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.views import json_attachment
from issues import privacy, selectors, services
from issues.forms import FeedbackForm, InformationForm, TrackingForm
from issues.models import Problem
from issues.photos import prepare_photos
from issues.views.common import TRACKING_PER_IP, allow_comment, remember_tracked, too_many
from portal import audit, ratelimit


@require_http_methods(["GET", "POST"])
def track_lookup(request):
    form = TrackingForm(request.POST or None, initial={"reference": request.GET.get("reference")})
    if request.method == "POST" and form.is_valid():
        # Guessing codes is slowed down per address.
        if not ratelimit.allow(
            request, action="track", per_ip=TRACKING_PER_IP, per_user=TRACKING_PER_IP
        ):
            return too_many(request)
        reference = form.cleaned_data["reference"].strip().upper()
        code = Problem.tidy_tracking_code(form.cleaned_data["code"])
        if Problem.objects.filter(
            reference=reference, tracking_code_hash=Problem.hash_tracking_code(code)
        ).exists():
            return redirect("issues:track", reference, code)
        form.add_error(None, _("No report has this reference and tracking code. Check both."))
    return render(request, "issues/track_lookup.html", {"form": form})


@require_http_methods(["GET", "POST"])
def track(request, reference: str, code: str):
    """The reporter follows the problem without an account, through the secret link."""
    problem = selectors.problem_by_tracking_or_404(reference, code)
    remember_tracked(request, problem.pk)
    return reporter_page(request, problem, template="issues/track.html", tracking_code=code)


def _allow_tracking(request) -> bool:
    # The code is in the URL: each of these pages answers "is this code right?", so guessing
    # is slowed down exactly as on the lookup form.
    return ratelimit.allow(
        request, action="track", per_ip=TRACKING_PER_IP, per_user=TRACKING_PER_IP
    )


@require_GET
def track_data(request, reference: str, code: str):
    """The holder of the tracking code downloads what the portal holds about the report and
    its reporter (UU 27/2022, the right to access), as a JSON file."""
    if not _allow_tracking(request):
        return too_many(request)
    problem = selectors.problem_by_tracking_or_404(reference, code)
    data = privacy.problem_reporter_data(problem=problem)
    # Who holds the code is not known; the trail keeps when and from where it was used.
    audit.record(
        actor=request.user, action=audit.Action.EXPORTED, target=problem, kind="reporter_data"
    )
    return json_attachment(data, filename=f"polmas-{problem.reference}.json")


@require_http_methods(["GET", "POST"])
def track_withdraw(request, reference: str, code: str):
    """The holder of the tracking code withdraws the personal data in the report, after a
    confirmation page. The report itself stays: it is the desa's record."""
    if not _allow_tracking(request):
        return too_many(request)
    problem = selectors.problem_by_tracking_or_404(reference, code)
    if request.method == "POST":
        privacy.problem_reporter_withdraw(problem=problem)
        messages.success(
            request, _("Your personal data was removed from this report. The report stays.")
        )
        return redirect("issues:track", problem.reference, code)
    return render(
        request, "issues/track_withdraw.html", {"problem": problem, "tracking_code": code}
    )


def reporter_page(request, problem, *, template, tracking_code: str = ""):
    """The reporter's page, by tracking link or by account: status, public notes, their own
    additions; forms to add information, to remove their contact details and, once resolved,
    to say whether it is solved."""
    info_form = InformationForm(prefix="info")
    feedback_form = FeedbackForm(prefix="feedback")
    if request.method == "POST":
        if not allow_comment(request):
            return too_many(request)
        action = request.POST.get("action")
        try:
            if action == "information":
                info_form = InformationForm(request.POST, request.FILES, prefix="info")
                if info_form.is_valid():
                    services.reporter_add_information(
                        problem=problem,
                        note=info_form.cleaned_data["note"],
                        photos=prepare_photos(info_form.cleaned_data["photos"]),
                        actor=request.user if request.user.is_authenticated else None,
                    )
                    messages.success(request, _("Thank you. The officer sees what you added."))
                    return redirect(request.path)
            elif action == "feedback":
                feedback_form = FeedbackForm(request.POST, prefix="feedback")
                if feedback_form.is_valid():
                    services.problem_feedback(problem=problem, **feedback_form.cleaned_data)
                    messages.success(request, _("Thank you for your answer."))
                    return redirect(request.path)
            elif action == "remove_contact":
                services.problem_contact_remove(problem=problem)
                messages.success(request, _("Your contact details were removed from this report."))
                return redirect(request.path)
        except ValidationError as error:
            target = info_form if action == "information" else feedback_form
            target.add_error(None, error.messages)
    events = selectors.reporter_timeline(problem)
    return render(
        request,
        template,
        {
            "problem": problem,
            "events": events,
            "photos": list(problem.photos.all()),
            "info_form": info_form,
            "feedback_form": feedback_form,
            "can_give_feedback": services.feedback_awaited(problem),
            # Only on the tracking page: a signed-in resident has "My data" for all reports.
            "tracking_code": tracking_code,
            # The form sent back with a mistake, linked from the top (issues/detail.html too).
            "not_saved_anchor": (
                {"information": "info-heading", "feedback": "feedback-heading"}.get(
                    request.POST.get("action"), ""
                )
                if request.method == "POST"
                else ""
            ),
        },
        # A POST that gets here was refused (a form error): nothing was saved.
        status=400 if request.method == "POST" else 200,
    )
