import json

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import services
from accounts.forms import AccountForm, WithdrawForm
from accounts.models import User
from issues.privacy import problems_reported_by, reporter_withdraw
from portal import audit, ratelimit
from territory.models import Village

# Re-entering the password to withdraw must not become a way to guess it from a stolen session.
WITHDRAW_PER_IP = (10, 3600)
WITHDRAW_PER_USER = (5, 3600)


@require_POST
@login_required
def choose_village(request):
    """A resident sets the desa they live in. Police users' desa come from assignments."""
    if request.user.role != User.Role.RESIDENT:
        messages.error(request, _("Only residents choose a home desa."))
        return redirect("landing")
    village = Village.objects.filter(code=request.POST.get("village", "")).first()
    if village is None:
        messages.error(request, _("That desa was not found. Search for it again."))
        return redirect("territory:village_search")
    services.resident_set_village(actor=request.user, village=village)
    messages.success(request, _("%(village)s is now your desa.") % {"village": village})
    return redirect("landing")


@require_http_methods(["GET", "POST"])
@login_required
def my_data(request):
    """What the portal holds about the user, and the form to correct it (UU 27/2022)."""
    user = request.user
    initial = {"name": user.name, "desa": user.village.code if user.village else ""}
    form = AccountForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.account_update(
                    actor=user,
                    name=form.cleaned_data["name"],
                    village=form.cleaned_data.get("desa"),
                )
            except ValidationError as error:
                # The in-memory user may hold the refused values: read it again.
                user.refresh_from_db()
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("Your details were saved."))
                return redirect("accounts:my_data")
        messages.error(request, _("Nothing was changed. Correct the marked fields."))
    return render(
        request,
        "accounts/my_data.html",
        {
            "form": form,
            "email_addresses": EmailAddress.objects.filter(user=user).order_by("pk"),
            "problems": problems_reported_by(user=user),
            "memberships": user.forum_memberships.select_related("forum").order_by("joined_on"),
            "can_withdraw": user.role == User.Role.RESIDENT,
        },
        status=400 if request.method == "POST" else 200,
    )


def json_attachment(data: dict, *, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Personal data: no shared cache may keep a copy.
    response["Cache-Control"] = "no-store, private"
    return response


@require_GET
@login_required
def my_data_download(request):
    data = services.personal_data_export(user=request.user)
    audit.record(actor=request.user, action=audit.Action.EXPORTED, kind="personal_data")
    filename = f"polmas-data-saya-{timezone.localdate().isoformat()}.json"
    return json_attachment(data, filename=filename)


@require_http_methods(["GET", "POST"])
@login_required
def withdraw(request):
    """The resident withdraws: a confirmation page, then the password again."""
    user = request.user
    if user.role != User.Role.RESIDENT:
        raise PermissionDenied
    form = WithdrawForm(request.POST or None, user=user)
    if request.method == "POST":
        if not ratelimit.allow(
            request, action="withdraw", per_ip=WITHDRAW_PER_IP, per_user=WITHDRAW_PER_USER
        ):
            messages.error(request, _("Too many attempts. Please wait an hour and try again."))
            return redirect("accounts:withdraw")
        if form.is_valid():
            reporter_withdraw(user=user)
            logout(request)
            messages.success(
                request,
                _(
                    "Your account is closed and your reports no longer carry your name or "
                    "contact details."
                ),
            )
            return redirect("home")
    problems = user.reported_problems.count()
    return render(
        request,
        "accounts/withdraw.html",
        {"form": form, "problem_count": problems},
        status=400 if request.method == "POST" else 200,
    )
