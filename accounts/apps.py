from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    # Not "Accounts": allauth's e-mail addresses are listed in the administration under that
    # name too, and an operator saw two sections called "Akun".
    verbose_name = _("Users and sign-in")
