from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.admin import TokenAdmin as DrfTokenAdmin
from rest_framework.authtoken.models import TokenProxy

from accounts.models import SecondFactor, User
from accounts.services import verified_email_set
from officers.models import Officer
from portal import audit
from portal.readonly_admin import ReadOnlyAdminMixin
from territory.models import PoliceUnit


class OfficerInlineFormSet(forms.BaseInlineFormSet):
    """A police role needs its police identity (NRP, rank, unit of the right kind)."""

    def clean(self):
        super().clean()
        role = self.instance.role
        expected_kind = User.UNIT_KIND.get(role)
        profiles = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if expected_kind and not profiles:
            raise forms.ValidationError(_("A police account needs its NRP, rank and unit."))
        for data in profiles:
            unit = data.get("unit")
            if expected_kind and unit is not None and unit.kind != expected_kind:
                raise forms.ValidationError(
                    _("This role belongs to a unit of kind %(kind)s.")
                    % {"kind": PoliceUnit.Kind(expected_kind).label}
                )
            if not expected_kind:
                raise forms.ValidationError(_("Only police roles have an officer profile."))


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "name", "role"]


class OfficerInline(admin.StackedInline):
    model = Officer
    formset = OfficerInlineFormSet
    can_delete = False
    max_num = 1
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "name", "officer__nrp"]
    autocomplete_fields = ["village"]
    inlines = [OfficerInline]
    add_form = UserCreationForm
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["name", "role", "village"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "name", "role", "usable_password", "password1", "password2"],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def save_model(self, request, obj, form, change):
        # Operators reach the admin; nobody else does through a role change here.
        obj.is_staff = obj.role == User.Role.OPERATOR or obj.is_superuser
        super().save_model(request, obj, form, change)
        # The admin is where roles change (residents sign up, the rest are created by an
        # operator here or with `create_staff_account`). The change view runs in a
        # transaction: the event is kept only with the change.
        privileges = {"role", "is_superuser"} & set(form.changed_data)
        if privileges or not change:
            audit.record(
                actor=request.user,
                action=audit.Action.ROLE_CHANGED,
                target=obj,
                request=request,
                from_role=form.initial.get("role") if change else None,
                to_role=obj.role,
                is_superuser=obj.is_superuser,
                account_created=not change,
            )
        if obj.role != User.Role.RESIDENT:
            # The operator vouches for staff addresses; allauth would otherwise demand a
            # verification mail before the first sign-in.
            verified_email_set(user=obj, email=obj.email)


# The second factor's secret and the API tokens are credentials: whoever reads them signs in
# as their owner. The administration lists who has them (an operator removes a lost phone's
# authenticator; a leaked token stops when its account is deactivated) and never shows or edits
# the secret itself. The second factors are listed under the portal's own names and in the
# Accounts section (`SecondFactor`, a proxy of allauth's model).
admin.site.unregister(Authenticator)
admin.site.unregister(TokenProxy)


class _Titled:
    """A list filter under a translated title (allauth's fields have no verbose names)."""

    title_text = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = self.title_text


class KindFilter(_Titled, admin.ChoicesFieldListFilter):
    title_text = _("kind")


class AddedFilter(_Titled, admin.DateFieldListFilter):
    title_text = _("added")


class LastUsedFilter(_Titled, admin.DateFieldListFilter):
    title_text = _("last used")


@admin.register(SecondFactor)
class SecondFactorAdmin(admin.ModelAdmin):
    fields = ["owner", "kind", "added", "last_used"]
    readonly_fields = fields
    list_display = fields
    list_filter = [
        ("type", KindFilter),
        ("created_at", AddedFilter),
        ("last_used_at", LastUsedFilter),
    ]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__name"]

    @admin.display(description=_("user"), ordering="user__email")
    def owner(self, obj):
        return obj.user

    @admin.display(description=_("kind"), ordering="type")
    def kind(self, obj):
        return obj.get_type_display()

    @admin.display(description=_("added"), ordering="created_at")
    def added(self, obj):
        return obj.created_at

    @admin.display(description=_("last used"), ordering="last_used_at", empty_value="—")
    def last_used(self, obj):
        return obj.last_used_at

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        # Removing someone's second factor (a lost phone) lets their password alone sign in:
        # the audit trail says who did it, for whom, and which kind.
        audit.record(
            actor=request.user,
            action=audit.Action.SECOND_FACTOR_REMOVED,
            target=obj.user,
            request=request,
            kind=obj.type,
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for authenticator in queryset.select_related("user"):
            self.delete_model(request, authenticator)


@admin.register(TokenProxy)
class TokenAdmin(ReadOnlyAdminMixin, DrfTokenAdmin):
    """Who holds an API token, and since when. A token's key is its primary key and its
    name: no page of its own, no action (their checkboxes carry the key). Deactivating the
    account stops its token."""

    list_display = ["user", "created"]
    list_display_links = None
    actions = None

    def has_view_permission(self, request, obj=None):
        return obj is None and super().has_view_permission(request)
