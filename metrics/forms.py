from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from metrics.models import SurveyResponse
from metrics.survey import QUESTIONS, normalize_contact

# About 250,000 rows of CSV, checked and written in some 15 seconds on PostgreSQL: a Polres's
# year (~400 desa × 12 types × 12 months) or a Polda's month fits, and the request stays
# inside the web worker's timeout. A national file (~1 million rows, about a
# minute) goes through `crime_statistics_import` from a shell or a job instead.
MAX_UPLOAD_MB = 10


class CrimeImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.txt,.xlsx,text/csv,text/plain,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    # Importing a month again replaces all of its figures: that needs saying, or the template
    # sent back as it was downloaded would wipe a month of real figures.
    replace = forms.BooleanField(
        label=_("Replace the figures already imported for the months in this file"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted here, per request: a lazy string formatted at import is frozen in
        # whatever language was active then.
        self.fields["file"].help_text = _("Up to %(size)d MB.") % {"size": MAX_UPLOAD_MB}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB.") % {"size": MAX_UPLOAD_MB}
            )
        return upload


class SurveyForm(forms.Form):
    """The four statements as radio groups (a fieldset each in the template): no JavaScript,
    large labels to tap. Anonymous respondents give a phone number or an e-mail address,
    used only to make the one-per-quarter key and never stored."""

    contact = forms.CharField(
        label=_("Your phone number or e-mail address"),
        max_length=254,
        help_text=_(
            "Only to make sure each person answers once per quarter. It is not stored: we keep "
            "a one-way code made from it."
        ),
        # No input mode: most residents give a phone number, some an e-mail address, and
        # either keyboard would hinder the other.
        widget=forms.TextInput(attrs={"autocapitalize": "off", "spellcheck": "false"}),
    )
    # Honeypot: hidden from people by CSS, filled in by bots.
    website = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, anonymous: bool, **kwargs):
        super().__init__(*args, **kwargs)
        questions = {
            name: forms.TypedChoiceField(
                label=SurveyResponse._meta.get_field(name).verbose_name,
                choices=SurveyResponse.Scale.choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose one answer.")},
            )
            for name in QUESTIONS
        }
        # The statements first, then the contact, then the honeypot.
        self.fields = {**questions, **self.fields}
        if not anonymous:
            del self.fields["contact"]

    def clean_contact(self):
        value = self.cleaned_data["contact"].strip()
        if "@" in value:
            try:
                validate_email(value)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("“%(value)s” is not an e-mail address."), params={"value": value}
                ) from None
            return value
        digits = normalize_contact(value)
        if not 8 <= len(digits) <= 15:
            raise forms.ValidationError(
                _("Give a phone number (e.g. 0812 3456 7890) or an e-mail address.")
            )
        return value

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))
