from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True, role=User.Role.OPERATOR)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """Everyone who signs in. Residents sign themselves up; every other role is created by an
    operator, and police roles carry an `officers.Officer` profile (NRP, rank, unit)."""

    class Role(models.TextChoices):
        RESIDENT = "resident", _("Resident")
        OFFICER = "officer", _("Bhabinkamtibmas")
        KAPOLSEK = "kapolsek", _("Kapolsek")
        POLRES_COMMANDER = "polres_commander", _("Polres commander")
        POLRES_STAFF = "polres_staff", _("Polres staff")
        POLDA_VIEWER = "polda_viewer", _("Polda viewer")
        OPERATOR = "operator", _("Operator")

    # The unit kind each police role belongs to.
    UNIT_KIND = {
        Role.OFFICER: "polsek",
        Role.KAPOLSEK: "polsek",
        Role.POLRES_COMMANDER: "polres",
        Role.POLRES_STAFF: "polres",
        Role.POLDA_VIEWER: "polda",
    }

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.RESIDENT, db_index=True
    )
    # A resident's own desa: where they report and follow problems.
    village = models.ForeignKey(
        "territory.Village",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="residents",
        verbose_name=_("desa/kelurahan"),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name or self.email

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email

    @property
    def is_police(self) -> bool:
        return self.role in self.UNIT_KIND

    @property
    def is_operator(self) -> bool:
        return self.role == self.Role.OPERATOR


class SecondFactor(Authenticator):
    """allauth's second factor (an authenticator app, recovery codes) as the administration
    shows it: allauth's model has no translatable names, so its pages were in English."""

    class Meta:
        proxy = True
        verbose_name = _("two-factor sign-in")
        verbose_name_plural = _("two-factor sign-ins")
