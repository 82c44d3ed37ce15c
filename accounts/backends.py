from allauth.account.auth_backends import AuthenticationBackend

from accounts.models import User


class PortalBackend(AuthenticationBackend):
    """allauth's e-mail authentication, plus two things every request needs:

    - the signed-in user is loaded with their police unit and desa in one query, because the
      scope and time-zone helpers read them on every request;
    - operators hold every model permission in the admin (they administer territory, units,
      officers and categories) without being superusers.
    """

    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related(
                "officer__unit__parent__parent", "village"
            ).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def has_perm(self, user_obj, perm, obj=None):
        if user_obj.is_active and getattr(user_obj, "role", None) == User.Role.OPERATOR:
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        if user_obj.is_active and getattr(user_obj, "role", None) == User.Role.OPERATOR:
            return True
        return super().has_module_perms(user_obj, app_label)
