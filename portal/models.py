from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """Written by a periodic Celery task, so the health page can tell whether workers run."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    seen_at = models.DateTimeField(_("seen at"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return f"{self.name} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"


class AppendOnlyError(Exception):
    """An audit event was about to be changed or deleted: the trail is append-only."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # The one change allowed: the actor's account is deleted (on_delete=SET_NULL goes
        # through here) and the row keeps who it was in `actor_label`. The PostgreSQL trigger
        # allows the same and nothing else.
        if kwargs.keys() <= {"actor", "actor_id"} and all(v is None for v in kwargs.values()):
            return super().update(**kwargs)
        raise AppendOnlyError("Audit events cannot be changed.")

    def bulk_update(self, objs, fields, batch_size=None):
        # Refused before Django opens its transaction: raising inside it would break the
        # caller's transaction as well.
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")

    delete.queryset_only = True


class AuditEvent(models.Model):
    """One line of the audit trail: who did (or saw, or was refused) what, when and from where.

    Written only through `portal.audit.record`, never changed or deleted: `save()` on a stored
    row and every delete raise, and on PostgreSQL a trigger refuses UPDATE and DELETE too.
    `details` never holds secrets (passwords, tokens, tracking codes) or a reporter's contact
    details: a row outlives the reporter's right to have them removed (UU 27/2022)."""

    class Action(models.TextChoices):
        REPORTER_VIEWED = "reporter_viewed", _("Reporter's identity viewed")
        PROBLEM_STATUS_CHANGED = "problem_status_changed", _("Problem status changed")
        PROBLEM_ASSIGNED = "problem_assigned", _("Problem assigned")
        ROLE_CHANGED = "role_changed", _("Role changed")
        ASSIGNMENT_CREATED = "assignment_created", _("Officer assigned to a desa")
        ASSIGNMENT_CHANGED = "assignment_changed", _("Officer assignment changed")
        ASSIGNMENT_ENDED = "assignment_ended", _("Officer assignment ended")
        VILLAGE_REASSIGNED = "village_reassigned", _("Desa reassigned to another officer")
        EXPORTED = "exported", _("Data exported")
        IMPORTED = "imported", _("Data imported")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        PERMISSION_DENIED = "permission_denied", _("Access refused")
        MODERATED = "moderated", _("Moderated by an operator")
        SECOND_FACTOR_REMOVED = "second_factor_removed", _("Two-factor sign-in removed")

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    # Copied, so the row still says who it was once the account is gone.
    actor_label = models.CharField(_("actor (as recorded)"), max_length=254, blank=True)
    actor_role = models.CharField(_("actor's role"), max_length=20, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    target_type = models.CharField(_("target type"), max_length=60, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_ref = models.CharField(_("target"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["action", "-created_at"], name="audit_action_when"),
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
        ]

    def __str__(self):
        # In the portal's time zone and the reader's language, as the admin's list shows it.
        moment = timezone.localtime(self.created_at)
        return f"{moment:%Y-%m-%d %H:%M:%S} {self.actor_label or '-'} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")
