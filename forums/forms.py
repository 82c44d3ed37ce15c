import datetime
import zoneinfo

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from forums.models import ActionItem, Forum, Meeting, MeetingFile, Member, Schedule
from forums.selectors import problem_title_for
from issues.forms import CategoryChoiceField, PhotosField
from issues.models import Category, VulnerableGroup
from portal.validators import plausible_date

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
# Above this many desa a checkbox list is too long to read on a phone: type the codes instead.
CHECKBOX_LIMIT = 60
# Groups counted among the other residents present; women are counted by gender already.
COUNTED_GROUPS = [(g, label) for g, label in VulnerableGroup.choices if g != VulnerableGroup.WOMEN]


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, village):
        return f"{village} ({village.code})"


class VillageCodesField(forms.CharField):
    """Desa by official code, comma or space separated, limited to a queryset."""

    def __init__(self, *args, queryset=None, **kwargs):
        self.queryset = queryset
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        codes = {c for c in value.replace(",", " ").split() if c}
        villages = list(self.queryset.filter(code__in=codes))
        unknown = codes - {v.code for v in villages}
        if unknown:
            raise forms.ValidationError(
                _("Not a desa you may choose: %(codes)s"),
                params={"codes": ", ".join(sorted(unknown))},
            )
        return villages


def _villages_field(queryset, *, label, required, many):
    """A select (or checkboxes) for a few desa; a code field for a Polres's hundreds."""
    if queryset.count() <= CHECKBOX_LIMIT:
        if many:
            return forms.ModelMultipleChoiceField(
                label=label,
                queryset=queryset,
                required=required,
                widget=forms.CheckboxSelectMultiple,
            )
        return VillageChoiceField(label=label, queryset=queryset, empty_label=_("Choose…"))
    if many:
        return VillageCodesField(
            label=label,
            queryset=queryset,
            required=required,
            help_text=_("Official codes, separated by commas, e.g. 32.04.05.2001"),
        )
    return forms.ModelChoiceField(
        label=label,
        queryset=queryset,
        to_field_name="code",
        widget=forms.TextInput(attrs={"placeholder": "32.04.05.2001"}),
        help_text=_("The desa's official code."),
    )


class ForumForm(forms.ModelForm):
    class Meta:
        model = Forum
        fields = ["name", "kind", "established_on", "decree_number", "bkpm_post", "is_public"]
        widgets = {"established_on": DATE_WIDGET}

    def __init__(self, *args, villages=None, forum=None, **kwargs):
        super().__init__(*args, instance=forum, **kwargs)
        self.creating = forum is None
        if self.creating:
            self.fields["village"] = _villages_field(
                villages, label=_("Desa/kelurahan"), required=True, many=False
            )
            self.order_fields(["village", "kind", "name"])
            # An officer of one desa should not have to pick it.
            only = list(villages[:2])
            if len(only) == 1:
                self.initial.setdefault("village", only[0].pk)
        else:
            del self.fields["kind"]
        if self.creating or forum.kind == Forum.Kind.AREA:
            self.fields["other_villages"] = _villages_field(
                villages,
                label=_("Other desa covered (area forum only)"),
                required=False,
                many=True,
            )
            if forum is not None:
                self.initial["other_villages"] = self._initial_others(forum)

    def _initial_others(self, forum):
        others = list(forum.other_villages.all())
        if isinstance(self.fields["other_villages"], VillageCodesField):
            return ", ".join(v.code for v in others)
        return others

    def clean(self):
        data = super().clean()
        if data.get("other_villages") and data.get("kind", Forum.Kind.AREA) == Forum.Kind.VILLAGE:
            self.add_error(
                "other_villages", _("A desa forum covers its own desa only: make it an area forum.")
            )
        return data


class ScheduleForm(forms.ModelForm):
    class Meta:
        model = Schedule
        fields = [
            "frequency",
            "interval",
            "weekday",
            "week_of_month",
            "time",
            "place",
            "duration_minutes",
            "starts_on",
        ]
        widgets = {"time": TIME_WIDGET, "starts_on": DATE_WIDGET}


class MemberForm(forms.ModelForm):
    account_email = forms.EmailField(
        label=_("Account e-mail (optional)"),
        required=False,
        help_text=_(
            "The e-mail of the member's resident account. A secretary with an account records "
            "meetings when signed in."
        ),
    )

    class Meta:
        model = Member
        fields = ["name", "role", "sector", "gender", "phone", "email", "joined_on"]
        widgets = {"joined_on": DATE_WIDGET}

    def __init__(self, *args, member=None, **kwargs):
        super().__init__(*args, instance=member, **kwargs)
        # "Choose…" as on the portal's other forms, not Django's "---------".
        for name in ("sector", "gender"):
            self.fields[name].choices = [("", _("Choose…")), *self.fields[name].choices[1:]]
        if member is not None:
            del self.fields["joined_on"]
            if member.user_id:
                self.initial["account_email"] = member.user.email

    def clean_account_email(self):
        email = self.cleaned_data["account_email"].strip().lower()
        if not email:
            return None
        user = User.objects.filter(email=email, role=User.Role.RESIDENT, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("No resident account has this e-mail. The member signs up first.")
            )
        return user


class LeaveForm(forms.Form):
    left_on = forms.DateField(label=_("Left on"), widget=DATE_WIDGET, validators=[plausible_date])


class MeetingTimeForm(forms.Form):
    """When and where a meeting is: to reschedule one (and the core of planning one)."""

    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET, validators=[plausible_date])
    time = forms.TimeField(label=_("Time"), widget=TIME_WIDGET, initial=datetime.time(19, 0))
    place = forms.CharField(label=_("Place"), max_length=200, initial="Balai desa")
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=600, initial=120
    )

    def scheduled_at(self, timezone_name: str) -> datetime.datetime:
        data = self.cleaned_data
        local = datetime.datetime.combine(data["date"], data["time"])
        return local.replace(tzinfo=zoneinfo.ZoneInfo(timezone_name))

    @staticmethod
    def initial_for(meeting: Meeting) -> dict:
        local = meeting.forum.local(meeting.scheduled_at)
        return {
            "date": local.date(),
            "time": local.time(),
            "place": meeting.place,
            "duration_minutes": meeting.duration_minutes,
        }


class MeetingPlanForm(MeetingTimeForm):
    held_already = forms.BooleanField(
        label=_("It has already taken place: record it now"),
        required=False,
        help_text=_(
            "For a meeting nobody planned here beforehand, e.g. one called at short notice."
        ),
    )


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, member):
        return f"{member.name} · {member.get_role_display()} · {member.get_sector_display()}"


class ProblemChoiceField(forms.ModelMultipleChoiceField):
    viewer = None  # who reads the labels: a private problem's title is for the police only

    def label_from_instance(self, problem):
        title = problem_title_for(problem, self.viewer)
        return f"{problem.reference} · {title} · {problem.get_status_display()}"


class RecordForm(forms.Form):
    """Attendance and minutes of a held meeting."""

    members_present = MemberChoiceField(
        label=_("Members present"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_men = forms.IntegerField(
        label=_("Other residents present: men"), min_value=0, max_value=5000, initial=0
    )
    other_women = forms.IntegerField(
        label=_("Other residents present: women"), min_value=0, max_value=5000, initial=0
    )
    police_present = forms.CharField(
        label=_("Police present"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Rank, name and function, e.g. Bripka Asep (Bhabinkamtibmas)."),
    )
    partners_present = forms.CharField(
        label=_("Partners present"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. Babinsa, the kepala desa, the puskesmas."),
    )
    reviewed = ProblemChoiceField(
        label=_("Problems from the last meeting reviewed"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    minutes = forms.CharField(
        label=_("Minutes (notulen)"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=format_lazy(
            "{} {}",
            _("Markdown: **bold**, *italic*, lists with - or 1."),
            _(
                "Unless they are marked internal below, anyone may read the minutes on the "
                "forum's public page: then write no names."
            ),
        ),
    )
    summary = forms.CharField(
        label=_("Public summary"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A few sentences for the desa's public page. Never write names here."),
    )
    minutes_internal = forms.BooleanField(
        label=_("The minutes are internal (residents see only the public summary)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, members, carried_over, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members_present"].queryset = members
        self.fields["reviewed"].queryset = carried_over
        self.fields["reviewed"].viewer = viewer
        for group, label in COUNTED_GROUPS:
            self.fields[f"group_{group}"] = forms.IntegerField(
                label=label, min_value=0, max_value=5000, required=False
            )

    def clean(self):
        data = super().clean()
        others = data.get("other_men")
        if others is not None and data.get("other_women") is not None:
            others += data["other_women"]
            # A resident may be in two groups, but no group outnumbers the residents counted.
            for group, _label in COUNTED_GROUPS:
                if (data.get(f"group_{group}") or 0) > others:
                    self.add_error(
                        f"group_{group}",
                        _("Cannot be more than the other residents present (%(count)s).")
                        % {"count": others},
                    )
        return data

    def group_fields(self):
        return [self[f"group_{group}"] for group, _label in COUNTED_GROUPS]

    def other_by_group(self) -> dict[str, int]:
        return {
            group: self.cleaned_data.get(f"group_{group}") or 0 for group, _label in COUNTED_GROUPS
        }

    @staticmethod
    def initial_for(meeting: Meeting, *, members_present, carried_over) -> dict:
        initial = {
            "members_present": members_present,
            "other_men": meeting.other_men,
            "other_women": meeting.other_women,
            "police_present": meeting.police_present,
            "partners_present": meeting.partners_present,
            "minutes": meeting.minutes,
            "summary": meeting.summary,
            # Internal until the recorder opens them; a held meeting keeps its record's choice
            # (meetings planned before the model's default changed still hold False).
            "minutes_internal": meeting.minutes_internal if meeting.is_held else True,
            "reviewed": carried_over,
        }
        for group, count in (meeting.other_by_group or {}).items():
            initial[f"group_{group}"] = count
        return initial


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown to residents with the meeting."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "cancel_%s")  # several forms share the meeting page
        super().__init__(*args, **kwargs)


class LinkProblemForm(forms.Form):
    problem = forms.ChoiceField(label=_("Problem of the desa"))
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)

    def __init__(self, *args, problems, **kwargs):
        kwargs.setdefault("auto_id", "link_%s")  # several forms share the meeting page
        super().__init__(*args, **kwargs)
        self.fields["problem"].choices = [("", _("Choose…"))] + [
            (p.pk, f"{p.reference} · {p.title} · {p.get_status_display()}") for p in problems
        ]


class RaiseProblemForm(forms.Form):
    village = forms.ModelChoiceField(label=_("Desa/kelurahan"), queryset=None, empty_label=None)
    category = CategoryChoiceField(
        label=_("What kind of problem?"),
        queryset=Category.objects.filter(is_active=True),
        empty_label=_("Choose…"),
    )
    title = forms.CharField(
        label=_("In a few words"),
        max_length=120,
        help_text=_("Shown on the desa's public page unless private: do not write names here."),
    )
    description = forms.CharField(
        label=_("What was said at the meeting?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    location_text = forms.CharField(label=_("Where?"), max_length=200, required=False)
    vulnerable_groups = forms.MultipleChoiceField(
        label=_("Who is affected?"),
        choices=VulnerableGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    wants_private = forms.BooleanField(label=_("Private (only the police see it)"), required=False)

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class ActionItemForm(forms.Form):
    what = forms.CharField(label=_("What is to be done"), max_length=500)
    owner_member = forms.ModelChoiceField(
        label=_("Who (member)"), queryset=Member.objects.none(), required=False
    )
    owner_name = forms.CharField(
        label=_("Or who (other)"),
        max_length=150,
        required=False,
        help_text=_("e.g. Bhabinkamtibmas, Babinsa, RT 03."),
    )
    due_on = forms.DateField(
        label=_("Due date"), required=False, widget=DATE_WIDGET, validators=[plausible_date]
    )
    problem = forms.ModelChoiceField(
        label=_("For the problem (optional)"), queryset=None, required=False
    )

    def __init__(self, *args, members, problems, viewer, **kwargs):
        kwargs.setdefault("auto_id", "action_%s")  # several forms share the meeting page
        super().__init__(*args, **kwargs)
        self.fields["owner_member"].queryset = members
        self.fields["owner_member"].empty_label = _("Choose…")
        self.fields["problem"].queryset = problems
        self.fields["problem"].empty_label = _("None")
        self.fields["problem"].label_from_instance = lambda p: (
            f"{p.reference} · {problem_title_for(p, viewer)}"
        )

    def clean(self):
        data = super().clean()
        if not data.get("owner_member") and not (data.get("owner_name") or "").strip():
            self.add_error("owner_name", _("Say who will do it."))
        return data


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class FilesForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is it?"), choices=MeetingFile.Kind.choices, widget=forms.RadioSelect
    )
    files = PhotosField(
        label=_("Photos or scans"),
        help_text=_("Up to 3 at a time, JPEG, PNG or WebP, 5 MB each."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "files_%s")  # several forms share the meeting page
        super().__init__(*args, **kwargs)

    def clean_files(self):
        # PhotosField passes an empty choice through (the problem report's photos are
        # optional); here they are the point of the form.
        files = self.cleaned_data["files"]
        if not files:
            field = self.fields["files"]
            raise forms.ValidationError(field.error_messages["required"], code="required")
        return files
