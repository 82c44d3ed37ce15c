from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class ResidentSignupForm(forms.Form):
    """Extra fields on allauth's sign-up form. A resident needs no ID number to be heard."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def signup(self, request, user):
        user.name = self.cleaned_data["name"].strip()
        user.save(update_fields=["name"])


class AccountForm(forms.Form):
    """What a user corrects on "My data": their name and, for a resident, their desa."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    desa = forms.CharField(
        label=_("Desa code"),
        max_length=20,
        required=False,
        help_text=_("The code shown on your desa's page, e.g. 32.04.05.2001."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.role != User.Role.RESIDENT:
            del self.fields["desa"]

    def clean_desa(self):
        from territory.codes import dotted_code
        from territory.models import Village

        # 3204052001 as well as 32.04.05.2001: a phone's number pad may have no dot.
        code = dotted_code(self.cleaned_data["desa"].strip())
        if not code:
            return None
        village = Village.objects.filter(code=code).first()
        if village is None:
            raise forms.ValidationError(_("No desa has this code. Search for your desa."))
        return village


class WithdrawForm(forms.Form):
    """Withdrawal closes the account for good: the password is asked again, so that a phone
    left signed in is not enough."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password


RECOVERY_HINT = _(
    "The 6-digit code of your authenticator app. Lost the phone? Type one of your recovery "
    "codes instead."
)


class RecoveryHintMixin:
    """allauth's code forms accept an authenticator code or a recovery code; their pages ask
    only for the first, so an officer whose phone is lost is told of the second."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = RECOVERY_HINT


class SecondFactorForm(RecoveryHintMixin, AuthenticateForm):
    pass


class SecondFactorReauthenticateForm(RecoveryHintMixin, ReauthenticateForm):
    pass
