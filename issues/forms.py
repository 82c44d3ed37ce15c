import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from issues.models import Category, Problem, VulnerableGroup
from issues.photos import MAX_DIMENSION, MAX_PHOTOS
from issues.workflow import Status
from portal.validators import phone_number, plausible_date


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosInput(MultipleFileInput):
    """The photo picker. static/js/photo-shrink.js refuses more than MAX_PHOTOS in the browser,
    before anything is sent: on a village's signal, four photos took seconds to upload only to
    be refused by `issues.photos.prepare_photos` (which still checks). The limit and its message
    are given to the page here, at rendering, so the message is in the request's language."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-max-photos": MAX_PHOTOS,
                # %(chosen)s is left for the script, which knows how many were chosen.
                "data-label-too-many": gettext(
                    "You chose %(chosen)s photos, but at most %(count)s can be sent. No photo is "
                    "chosen now: please choose again, at most %(count)s."
                )
                % {"chosen": "%(chosen)s", "count": MAX_PHOTOS},
            }
        )
        return context


class PhotosField(forms.FileField):
    """Up to three photos; their content is checked by `issues.photos.prepare_photos`."""

    # static/js/photo-shrink.js makes a phone's JPEGs smaller before they are sent.
    widget = PhotosInput(
        attrs={
            "accept": "image/jpeg,image/png,image/webp",
            "data-shrink-photos": MAX_DIMENSION,
            "data-label-working": _("Making the photos smaller for sending…"),
            "data-label-done": _("Photos ready to send: %(after)s instead of %(before)s."),
        }
    )

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(PhotosField, self).clean(f, initial) for f in files]


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, category):
        return category.label


# The map point's fields are hidden: "Use my location" abroad (a migrant worker reporting for
# their family's desa) must get a message the reporter understands, not the number's bounds.
OUTSIDE_INDONESIA = {
    "min_value": _("The map point is outside Indonesia. Remove it, or mark the place again."),
    "max_value": _("The map point is outside Indonesia. Remove it, or mark the place again."),
}


class ProblemForm(forms.Form):
    category = CategoryChoiceField(
        label=_("What kind of problem?"),
        queryset=Category.objects.filter(is_active=True),
        empty_label=_("Choose…"),
    )
    title = forms.CharField(
        label=_("In a few words"),
        max_length=120,
        help_text=_(
            "Shown on the desa's public page unless the report is private: do not write names here."
        ),
    )
    description = forms.CharField(
        label=_("What happened?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    occurred_at = forms.DateTimeField(
        label=_("When did it happen?"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        validators=[plausible_date],
        help_text=_("Leave empty if you do not know."),
    )
    location_text = forms.CharField(
        label=_("Where?"),
        max_length=200,
        required=False,
        help_text=_("e.g. the RT/RW, a street, a landmark."),
    )
    latitude = forms.DecimalField(
        required=False,
        max_digits=8,
        decimal_places=6,
        min_value=Decimal("-11.5"),
        max_value=Decimal("6.5"),
        widget=forms.HiddenInput,
        error_messages=OUTSIDE_INDONESIA,
    )
    longitude = forms.DecimalField(
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal("94.5"),
        max_value=Decimal("141.5"),
        widget=forms.HiddenInput,
        error_messages=OUTSIDE_INDONESIA,
    )
    # The help text names MAX_PHOTOS: it is set in __init__, in the request's language, because
    # a lazy string formatted here would be translated once, at import, and stay in that language.
    photos = PhotosField(label=_("Photos (optional)"), required=False)
    vulnerable_groups = forms.MultipleChoiceField(
        label=_("Who is affected?"),
        choices=VulnerableGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    wants_private = forms.BooleanField(
        label=_("Keep this report private (only the police see it)"), required=False
    )
    reporter_named = forms.BooleanField(
        label=_("The officer may know my name"),
        required=False,
        help_text=_("Your name is never shown on public pages."),
    )
    contact_name = forms.CharField(label=_("Your name (optional)"), max_length=150, required=False)
    contact_phone = forms.CharField(
        label=_("Phone or WhatsApp (optional)"),
        max_length=30,
        required=False,
        validators=[phone_number],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    contact_email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        help_text=_("We tell you when the status changes."),
    )
    consent = forms.BooleanField(
        label=_("I have read how my report is used and agree."),
        error_messages={
            "required": _("Please agree to how your report is used before sending it.")
        },
    )
    # Honeypot: hidden from people by CSS, filled in by bots.
    website = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].help_text = gettext(
            "Up to %(count)s photos, JPEG, PNG or WebP, 5 MB each. Location data is "
            "removed from them."
        ) % {"count": MAX_PHOTOS}
        self.signed_in = bool(user and user.is_authenticated)
        if self.signed_in:
            for name in ("contact_name", "contact_phone", "contact_email"):
                del self.fields[name]
        else:
            del self.fields["reporter_named"]

    def clean_occurred_at(self):
        occurred_at = self.cleaned_data["occurred_at"]
        # A few minutes' grace for a phone whose clock runs fast.
        if occurred_at and occurred_at > timezone.now() + datetime.timedelta(minutes=10):
            raise forms.ValidationError(
                _("This time is in the future. Leave it empty if you do not know when it was.")
            )
        return occurred_at

    def clean(self):
        data = super().clean()
        if "latitude" in self.errors or "longitude" in self.errors:
            return data  # a point outside the bounds is missing here, not half given
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("A map point needs both latitude and longitude."))
        return data

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def file(self, *, actor, village, photos=(), source=Problem.Source.WEB):
        """File the validated report: the page, the API and Open311 all come through here.
        `photos` already went through `issues.photos.prepare_photos`."""
        from issues import services

        data = self.cleaned_data
        return services.problem_file(
            actor=actor if actor is not None and actor.is_authenticated else None,
            village=village,
            category=data["category"],
            title=data["title"],
            description=data["description"],
            consent=data["consent"],
            occurred_at=data.get("occurred_at"),
            location_text=data.get("location_text", ""),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            vulnerable_groups=data.get("vulnerable_groups"),
            wants_private=data.get("wants_private", False),
            reporter_named=data.get("reporter_named", False),
            contact_name=data.get("contact_name", ""),
            contact_phone=data.get("contact_phone", ""),
            contact_email=data.get("contact_email", ""),
            photos=photos,
            source=source,
        )


class TrackingForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"placeholder": "KMT-2026-000123", "autocapitalize": "characters"}
        ),
    )
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "placeholder": "ABCDE-FGHJK",
                "autocapitalize": "characters",
                "autocomplete": "off",
            }
        ),
    )


class InformationForm(forms.Form):
    note = forms.CharField(
        label=_("Add information"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photos = PhotosField(label=_("Add a photo"), required=False)


class FeedbackForm(forms.Form):
    solved = forms.TypedChoiceField(
        label=_("Is the problem solved?"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
    )
    rating = forms.TypedChoiceField(
        label=_("How was the service?"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[(str(n), str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
        help_text=_("1 = very poor, 5 = very good"),
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Next step"))
    note = forms.CharField(
        label=_("Note"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_public = forms.BooleanField(
        label=_("Public note (the reporter and the desa page see it)"), required=False
    )
    duplicate_of = forms.CharField(
        label=_("Reference of the original problem"),
        max_length=20,
        required=False,
        help_text=_("Only when marking a duplicate."),
    )
    referred_to = forms.CharField(
        label=_("Referred to"),
        max_length=200,
        required=False,
        help_text=_("Only when referring, e.g. Satreskrim Polres."),
    )
    resolution = forms.ChoiceField(
        label=_("How was it solved?"),
        choices=[("", "—"), *Problem.Resolution.choices],
        required=False,
        help_text=_("Only when marking the problem resolved."),
    )

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [(s, Status(s).label) for s in targets]
        # Only the fields a step on offer needs: a resolved problem (only "reopened" on offer)
        # showed a Kapolsek the duplicate and referral boxes too.
        for field, target in (
            ("duplicate_of", Status.DUPLICATE),
            ("referred_to", Status.REFERRED),
            ("resolution", Status.RESOLVED),
        ):
            if target not in targets:
                del self.fields[field]

    def clean(self):
        data = super().clean()
        if data.get("to_status") == Status.RESOLVED and not data.get("resolution"):
            self.add_error("resolution", _("Say how the problem was solved."))
        return data


class CommentForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_public = forms.BooleanField(
        label=_("Public note (the reporter and the desa page see it)"), required=False
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "comment_%s")  # shares the problem page with TransitionForm
        super().__init__(*args, **kwargs)


class AssignForm(forms.Form):
    officer = forms.ModelChoiceField(
        label=_("Assign to"), queryset=None, empty_label=_("Choose an officer…")
    )

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["officer"].label_from_instance = lambda o: (
            f"{o.get_rank_display()} {o.user.name}"
        )


class ProblemFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("open", _("Open")), *Status.choices],
    )
    category = CategoryChoiceField(
        label=_("Category"), required=False, queryset=Category.objects.all(), empty_label=_("All")
    )
    desa = forms.CharField(
        label=_("Desa"),
        required=False,
        max_length=100,
        help_text=_("Its name, or a part of it, or its code."),
    )
    older_than_days = forms.TypedChoiceField(
        label=_("Age"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", _("Any age")),
            ("2", _("Older than 2 days")),
            ("7", _("Older than a week")),
            ("30", _("Older than a month")),
        ],
    )
    overdue = forms.BooleanField(
        label=_("Only overdue (no action within 48 hours)"), required=False
    )
