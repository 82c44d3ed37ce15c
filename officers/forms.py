import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from issues.models import Problem
from officers.models import GroupReached, Visit
from portal.validators import plausible_date


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, village):
        return f"{village} ({village.district.name})"


class DesaCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Each problem's box names its desa (`data-desa`): static/js/visit-problems.js shows only
    those of the desa chosen above. Without the script every problem shows, with its desa."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value:
            option["attrs"]["data-desa"] = value.instance.village_id
        return option


class ProblemChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, problem):
        return f"{problem.reference}: {problem.title} ({problem.village.name})"


class VisitForm(forms.ModelForm):
    """As few fields as a visit needs, all with defaults: desa, kind and time are preset."""

    village = VillageChoiceField(label=_("Desa"), queryset=None, empty_label=None)
    visited_at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        validators=[plausible_date],
    )
    groups_reached = forms.MultipleChoiceField(
        label=_("Groups reached"),
        choices=GroupReached.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    problems = ProblemChoiceField(
        label=_("Problems followed up"),
        queryset=None,
        required=False,
        widget=DesaCheckboxSelectMultiple,
    )
    latitude = forms.DecimalField(
        required=False,
        max_digits=8,
        decimal_places=6,
        min_value=Decimal("-11.5"),
        max_value=Decimal("6.5"),
        widget=forms.HiddenInput,
    )
    longitude = forms.DecimalField(
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal("94.5"),
        max_value=Decimal("141.5"),
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Visit
        fields = [
            "village",
            "kind",
            "visited_at",
            "households",
            "people",
            "groups_reached",
            "notes",
            "problems",
            "latitude",
            "longitude",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "households": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "people": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages.select_related("district")
        problems = Problem.objects.open().filter(village__in=villages, is_hidden=False)
        if self.instance.pk:
            # A problem resolved since the visit stays linked, and shown, when it is corrected.
            problems = problems | Problem.objects.filter(pk__in=self.instance.problems.all())
        self.fields["problems"].queryset = problems.select_related("village").order_by(
            "-created_at"
        )
        if not self.instance.pk:
            self.initial.setdefault(
                "visited_at", timezone.localtime().replace(second=0, microsecond=0)
            )
        # The phone's picker offers no day the services refuse: last month's first is the
        # earliest (officers.services._check_visit_time), or the day of the visit corrected.
        earliest = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        if self.instance.pk:
            earliest = min(earliest, timezone.localdate(self.instance.visited_at))
        self.fields["visited_at"].widget.attrs["min"] = f"{earliest:%Y-%m-%d}T00:00"

    def clean_visited_at(self):
        visited_at = self.cleaned_data["visited_at"]
        stored = self.instance.visited_at if self.instance.pk else None
        if stored and visited_at == stored.replace(second=0, microsecond=0):
            # The field shows minutes only: a time logged with seconds (through the API) comes
            # back unchanged, not as a new time the services would check against the months
            # that may still be logged.
            return stored
        return visited_at

    def clean(self):
        data = super().clean()
        village, problems = data.get("village"), data.get("problems") or []
        if village and any(p.village_id != village.pk for p in problems):
            self.add_error("problems", _("Link only problems of this desa."))
        return data


class ReassignForm(forms.Form):
    officer = forms.ModelChoiceField(
        label=_("New primary officer"), queryset=None, empty_label=_("Choose an officer…")
    )
    starts_on = forms.DateField(
        label=_("From"),
        # A date input reads only ISO dates: the Indonesian "05-12-2026" would show it empty.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[plausible_date],
    )

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["officer"].label_from_instance = lambda o: (
            f"{o.get_rank_display()} {o.user.name} ({o.nrp})"
        )
        self.initial.setdefault("starts_on", timezone.localdate())

    def clean_starts_on(self):
        # The open problems move at once: to an officer who cannot see the desa before that day.
        starts_on = self.cleaned_data["starts_on"]
        if starts_on > timezone.localdate():
            raise forms.ValidationError(_("Choose today or an earlier day."))
        return starts_on


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        help_text=_("One row per officer; see the column list below."),
    )
