from django import forms
from django.utils.translation import gettext_lazy as _


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
