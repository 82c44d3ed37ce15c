from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from allauth.mfa.signals import authentication_failed
        from django.contrib.auth.signals import user_login_failed

        from portal import audit, checks  # noqa: F401 — checks registers the deploy checks

        user_login_failed.connect(audit.record_failed_sign_in, dispatch_uid="audit_sign_in")
        authentication_failed.connect(
            audit.record_failed_second_factor, dispatch_uid="audit_second_factor"
        )
