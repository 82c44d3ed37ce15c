from allauth.account.adapter import DefaultAccountAdapter

from accounts.models import User


class AccountAdapter(DefaultAccountAdapter):
    """Self sign-up always makes a resident; police and operator accounts are created by an
    operator (admin or `manage.py create_staff_account`)."""

    def save_user(self, request, user, form, commit=True):
        user.role = User.Role.RESIDENT
        user.is_staff = False
        user.is_superuser = False
        return super().save_user(request, user, form, commit=commit)
