from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import services
from accounts.models import User
from territory.models import Village


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
