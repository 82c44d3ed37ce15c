"""The resident survey of a desa: a public page that works without JavaScript."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from issues.views.common import too_many
from metrics.forms import SurveyForm
from metrics.survey import (
    QUESTIONS,
    AlreadyAnswered,
    current_quarter,
    may_answer,
    next_quarter_start,
    survey_answered,
    survey_respond,
)
from portal import ratelimit
from territory.models import Village

# (limit, seconds): a family or a village hall sharing one phone or one connection answers;
# a script does not.
SURVEY_PER_IP = (20, 3600)
SURVEY_PER_USER = (5, 3600)


def _village(code: str) -> Village:
    village = Village.objects.select_related("district__regency").filter(code=code).first()
    if village is None:
        raise Http404
    return village


def _already_message(next_quarter, *, sent: bool) -> str:
    # As the portal's pages write a date ("1 Jan 2027"), not Django's DATE_FORMAT ("1 Jan. 2027").
    date = formats.date_format(next_quarter, "j M Y")
    if sent:
        return _(
            "You have already answered the survey this quarter: these answers were not saved "
            "and your earlier ones stand. You can answer again from %(date)s."
        ) % {"date": date}
    return _(
        "You have already answered the survey this quarter. Thank you! You can answer again "
        "from %(date)s."
    ) % {"date": date}


@require_http_methods(["GET", "POST"])
def survey(request, code: str):
    """Four statements, 1 to 5; one answer per person per quarter."""
    village = _village(code)
    user = request.user
    context = {"village": village, "may_answer": may_answer(user)}
    if not context["may_answer"]:
        return render(
            request,
            "metrics/survey.html",
            context,
            status=403 if request.method == "POST" else 200,
        )
    form = SurveyForm(request.POST or None, anonymous=not user.is_authenticated)
    context["form"] = form
    if survey_answered(user=user, village=village):
        context["already"] = _already_message(
            next_quarter_start(current_quarter(village)), sent=request.method == "POST"
        )
        return render(
            request, "metrics/survey.html", context, status=409 if request.method == "POST" else 200
        )
    if request.method == "POST":
        if form.is_bot:
            return render(request, "metrics/survey.html", context, status=400)
        if not ratelimit.allow(
            request, action="survey", per_ip=SURVEY_PER_IP, per_user=SURVEY_PER_USER
        ):
            return too_many(request)
        if form.is_valid():
            try:
                survey_respond(
                    actor=user,
                    village=village,
                    contact=form.cleaned_data.get("contact", ""),
                    **{name: form.cleaned_data[name] for name in QUESTIONS},
                )
            except AlreadyAnswered as already:
                context["already"] = _already_message(already.next_quarter, sent=True)
                return render(request, "metrics/survey.html", context, status=409)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                return redirect("metrics_data:survey_thanks", code=village.code)
        return render(request, "metrics/survey.html", context, status=400)
    return render(request, "metrics/survey.html", context)


@require_GET
def survey_thanks(request, code: str):
    return render(request, "metrics/survey_thanks.html", {"village": _village(code)})
