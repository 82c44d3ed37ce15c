"""Forums: the list of the user's forums, creating and editing one, its page, its schedule,
its members, and its public page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from forums import selectors, services
from forums.forms import ForumForm, LeaveForm, MemberForm, ScheduleForm
from forums.models import Meeting
from forums.views.common import (
    PAGE_SIZE,
    form_errors,
    manageable_forum_or_404,
    require,
)


@require_GET
@login_required
def forum_list(request):
    """The forums of the user's area (a secretary: their forum), with the next meeting, the last
    held one and the open action items. Five queries whatever the page size."""
    user = request.user
    forums = selectors.with_list_annotations(selectors.forums_visible_to(user)).order_by(
        "village__district__name", "village__name", "name"
    )
    page = Paginator(forums, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "forums/forum_list.html",
        {
            "page_obj": page,
            "can_create": selectors.villages_manageable_by(user).exists(),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def forum_create(request):
    villages = selectors.villages_manageable_by(request.user).order_by("name")
    require(villages.exists())
    initial = {}
    if code := request.GET.get("desa"):
        village = villages.filter(code=code).first()
        if village is not None:
            initial = {
                "village": village,
                "name": f"FKPM {village.get_kind_display()} {village.name}",
            }
    form = ForumForm(request.POST or None, villages=villages, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            forum = services.forum_create(
                actor=request.user,
                village=data["village"],
                name=data["name"],
                kind=data["kind"],
                other_villages=data.get("other_villages") or [],
                established_on=data["established_on"],
                decree_number=data["decree_number"],
                bkpm_post=data["bkpm_post"],
                is_public=data["is_public"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Forum created. Now set its meeting schedule."))
            return redirect("forums:schedule", forum.pk)
    return render(request, "forums/forum_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def forum_edit(request, pk: int):
    forum = manageable_forum_or_404(request.user, pk)
    villages = selectors.villages_manageable_by(request.user).order_by("name")
    form = ForumForm(request.POST or None, villages=villages, forum=forum)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.forum_update(
                actor=request.user,
                forum=forum,
                name=data["name"],
                established_on=data["established_on"],
                decree_number=data["decree_number"],
                bkpm_post=data["bkpm_post"],
                is_public=data["is_public"],
                other_villages=data.get("other_villages") if "other_villages" in data else None,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Forum saved."))
            return redirect("forums:detail", forum.pk)
    return render(request, "forums/forum_form.html", {"form": form, "forum": forum})


@require_GET
@login_required
def forum_detail(request, pk: int):
    """The forum's working page: schedule, next meetings, open action items, members, and the
    meetings so far."""
    forum = selectors.forum_for_user_or_404(request.user, pk)
    permissions = selectors.Permissions.of(request.user, forum)
    meetings = selectors.meetings_of(forum).exclude(
        status=Meeting.Status.PLANNED, scheduled_at__gt=timezone.now()
    )
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    members = list(selectors.members_of(forum))
    open_items = list(selectors.open_items_of(forum)[:20])
    return render(
        request,
        "forums/forum_detail.html",
        {
            "forum": forum,
            "permissions": permissions,
            "schedule": getattr(forum, "schedule", None),
            "upcoming": selectors.upcoming_meetings(forum, limit=4),
            "open_items": open_items,
            "problem_pages": selectors.problem_pages_for(
                request.user, [item.problem_id for item in open_items]
            ),
            "members": members,
            "women_count": sum(1 for m in members if m.gender == "female"),
            "sectors": sorted({m.get_sector_display() for m in members}),
            "page_obj": page,
            "calendar_url": request.build_absolute_uri(
                reverse("forums:calendar_private", args=[forum.pk, forum.calendar_token])
            ),
            "public_calendar_url": request.build_absolute_uri(
                reverse("forums:calendar_public", args=[forum.pk])
            ),
        },
    )


@require_POST
@login_required
def calendar_renew(request, pk: int):
    forum = selectors.forum_for_user_or_404(request.user, pk)
    require(selectors.can_manage(request.user, forum) or selectors.can_record(request.user, forum))
    services.forum_renew_calendar_token(actor=request.user, forum=forum)
    messages.success(request, _("New calendar link made. The old one no longer works."))
    return redirect("forums:detail", forum.pk)


@require_http_methods(["GET", "POST"])
@login_required
def schedule_edit(request, pk: int):
    forum = manageable_forum_or_404(request.user, pk)
    schedule = getattr(forum, "schedule", None)
    form = ScheduleForm(request.POST or None, instance=schedule)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.schedule_set(actor=request.user, forum=forum, **data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Schedule saved; the coming meetings are planned."))
            return redirect("forums:detail", forum.pk)
    return render(request, "forums/schedule_form.html", {"form": form, "forum": forum})


@require_http_methods(["GET", "POST"])
@login_required
def member_list(request, pk: int):
    """Members, present and former; managers add members here."""
    forum = selectors.forum_for_user_or_404(request.user, pk)
    can_manage = selectors.can_manage(request.user, forum)
    form = MemberForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        require(can_manage)
        if form.is_valid():
            data = form.cleaned_data
            try:
                member = services.member_add(
                    actor=request.user,
                    forum=forum,
                    name=data["name"],
                    role=data["role"],
                    sector=data["sector"],
                    gender=data["gender"],
                    phone=data["phone"],
                    email=data["email"],
                    user=data["account_email"],
                    joined_on=data["joined_on"],
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("Member added."))
                # At the new member's row: the form posted to #add-member, which a redirect
                # without an anchor of its own keeps (the emptied form, the message out of view).
                return redirect(f"{reverse('forums:members', args=[forum.pk])}#{member.anchor}")
    return render(
        request,
        "forums/members.html",
        {
            "forum": forum,
            "members": selectors.members_of(forum, include_former=True),
            "form": form,
            "can_manage": can_manage,
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def member_edit(request, pk: int, member_pk: int):
    forum = manageable_forum_or_404(request.user, pk)
    member = get_object_or_404(forum.members.select_related("user"), pk=member_pk)
    form = MemberForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.member_update(
                actor=request.user,
                member=member,
                name=data["name"],
                role=data["role"],
                sector=data["sector"],
                gender=data["gender"],
                phone=data["phone"],
                email=data["email"],
                user=data["account_email"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Member saved."))
            return redirect("forums:members", forum.pk)
    return render(
        request,
        "forums/member_form.html",
        {
            "forum": forum,
            "member": member,
            "form": form,
            "leave_form": LeaveForm(initial={"left_on": timezone.localdate()}),
        },
    )


@require_POST
@login_required
def member_leave(request, pk: int, member_pk: int):
    forum = manageable_forum_or_404(request.user, pk)
    member = get_object_or_404(forum.members.all(), pk=member_pk)
    form = LeaveForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"{form['left_on'].label}: {' '.join(form.errors['left_on'])}")
        return redirect("forums:member_edit", forum.pk, member.pk)
    try:
        services.member_leave(
            actor=request.user, member=member, left_on=form.cleaned_data["left_on"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("forums:member_edit", forum.pk, member.pk)
    messages.success(request, _("The member has left the forum."))
    return redirect("forums:members", forum.pk)


@require_GET
def forum_public(request, pk: int):
    """What residents see: the next meetings and the public summaries of held meetings (the
    minutes and decisions too, unless they are internal). Cancelled meetings show why."""
    forum = selectors.forum_public_or_404(request.user, pk)
    held = forum.meetings.filter(status=Meeting.Status.HELD).order_by("-scheduled_at")
    page = Paginator(held, 10).get_page(request.GET.get("page"))
    meetings = list(page.object_list)
    decisions = selectors.public_action_items(meetings)
    for meeting in meetings:
        meeting.public_items = decisions.get(meeting.pk, [])
    now = timezone.now()
    return render(
        request,
        "forums/public.html",
        {
            "forum": forum,
            "upcoming": selectors.upcoming_meetings(forum, limit=3, now=now),
            "cancelled": list(
                forum.meetings.filter(
                    status=Meeting.Status.CANCELLED, scheduled_at__gte=now
                ).order_by("scheduled_at")[:3]
            ),
            "meetings": meetings,
            "page_obj": page,
            "can_read": selectors.can_read(request.user, forum),
            "calendar_url": request.build_absolute_uri(
                reverse("forums:calendar_public", args=[forum.pk])
            )
            if forum.is_public
            else "",
        },
    )
