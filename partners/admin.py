from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminURLFieldWidget
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline

from core.admin_translation import DateFieldsAdminMixin, TranslatedAdmin
from core.models import OutgoingEmail
from core.typography import format_money

from . import services
from .history_admin import HistoryAdminMixin
from .models import (
    Contact,
    FundingLine,
    Organisation,
    Partnership,
    PartnershipRole,
    Profile,
    SpecificObjective,
    Territory,
)


@admin.register(Territory)
class TerritoryAdmin(TranslatedAdmin):
    list_display = ["name", "country", "slug"]
    search_fields = ["name", "country"]


class PartnershipRoleInline(TranslationTabularInline):
    model = PartnershipRole
    extra = 0
    autocomplete_fields = ["organisation"]


class SpecificObjectiveInline(TranslationTabularInline):
    model = SpecificObjective
    extra = 0


class FundingLineInline(DateFieldsAdminMixin, TranslationTabularInline):
    model = FundingLine
    extra = 0
    autocomplete_fields = ["funder"]
    show_change_link = True  # its page has the "History" button


@admin.register(Partnership)
class PartnershipAdmin(TranslatedAdmin):
    list_display = ["name", "project_title", "since_year"]
    search_fields = ["name", "project_title"]
    filter_horizontal = ["territories"]
    inlines = [SpecificObjectiveInline, PartnershipRoleInline, FundingLineInline]

    def save_related(self, request, form, formsets, change) -> None:
        # The form's initial members (instances; ids from the add page's query string).
        before = {int(getattr(t, "pk", t)) for t in form.initial.get("territories") or []}
        super().save_related(request, form, formsets, change)
        if "territories" in form.changed_data:
            after = {territory.pk for territory in form.cleaned_data["territories"]}
            services.partnership_members_changed(territory_ids=before ^ after)

    def save_formset(self, request, form, formset, change) -> None:
        """Roles and specific objectives are saved and deleted by their services (who may,
        history row)."""
        if formset.model is PartnershipRole:
            for role in formset.save(commit=False):
                services.partnership_role_save(role=role, author=request.user)
            for role in formset.deleted_objects:
                services.partnership_role_delete(role=role, author=request.user)
        elif formset.model is SpecificObjective:
            for objective in formset.save(commit=False):
                services.specific_objective_save(objective=objective, author=request.user)
            for objective in formset.deleted_objects:
                services.specific_objective_delete(objective=objective, author=request.user)
        else:
            super().save_formset(request, form, formset, change)


class ContactInline(TranslationTabularInline):
    model = Contact
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(TranslatedAdmin):
    # Addresses typed without a scheme are https (Django 6's default, said now).
    formfield_overrides = {
        models.URLField: {"widget": AdminURLFieldWidget, "assume_scheme": "https"},
    }
    list_display = ["name", "short_name", "territory", "founded_year"]
    list_filter = ["territory", "roles__role"]
    search_fields = ["name", "short_name"]
    inlines = [ContactInline]


@admin.register(Contact)
class ContactAdmin(TranslatedAdmin):
    # TranslationAdmin: the job title in French and in English, without its base field too.
    list_display = ["full_name", "job_title", "organisation", "email"]
    list_filter = ["organisation"]
    search_fields = ["full_name", "email", "organisation__name"]
    list_select_related = ["organisation"]


@admin.register(FundingLine)
class FundingLineAdmin(HistoryAdminMixin, TranslatedAdmin):
    list_display = [
        "funder",
        "partnership",
        "amount_in_currency",
        "spent_in_currency",
        "nature",
        "period_start",
        "status",
    ]
    list_filter = ["partnership", "currency", "nature", "status", "funder"]
    search_fields = ["funder__name"]
    list_select_related = ["funder", "partnership"]
    autocomplete_fields = ["funder"]

    @admin.display(description=_("amount"), ordering="amount")
    def amount_in_currency(self, line: FundingLine) -> str:
        """« 20 000 € », « 2 000 000 F CFA » in French, as on the site's pages."""
        return format_money(line.amount, line.currency)

    @admin.display(description=_("amount spent"), ordering="spent")
    def spent_in_currency(self, line: FundingLine) -> str:
        return "" if line.spent is None else format_money(line.spent, line.currency)


@admin.register(Profile)
class ProfileAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["user", "role", "territory"]
    list_filter = ["role", "territory"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "territory"]

    def save_model(self, request, obj, form, change) -> None:
        services.profile_save(profile=obj, author=request.user)

    def delete_model(self, request, obj) -> None:
        services.profile_delete(profile=obj, author=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for profile in queryset:
            services.profile_delete(profile=profile, author=request.user)


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False


def refused_invitation(name: str, email: OutgoingEmail) -> str:
    """What the administrator is told of an invitation the mail server refused."""
    if email.status == OutgoingEmail.Status.PENDING:
        return _(
            "The invitation to %(name)s could not be sent (%(error)s). It is tried again at "
            "%(time)s; “Outgoing e-mails” shows when it has left."
        ) % {
            "name": name,
            "error": email.last_error,
            "time": formats.time_format(timezone.localtime(email.next_attempt_at)),
        }
    return _(
        "The invitation to %(name)s could not be sent (%(error)s). Send it again from "
        "“Outgoing e-mails” once the mail server works."
    ) % {"name": name, "error": email.last_error}


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserWithProfileAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "first_name", "last_name", "profile_role", "profile_territory"]
    list_filter = ["profile__role", "profile__territory", "is_staff", "is_active"]
    list_select_related = ["profile__territory"]
    # Stamped by Django, not typed: read only, so no date-and-time field, and no time-zone note
    # for an administrator outside France, is left to edit (core/admin_translation.py).
    readonly_fields = ["last_login", "date_joined"]
    actions = ["invite"]

    @admin.action(description=_("Invite by email (a link to choose a password)"))
    def invite(self, request, queryset) -> None:
        """Email each selected account a link to choose its own password (user_invite), and
        say what became of each e-mail: sent, waiting for the task worker, or refused (with
        the server's answer). Accounts without an email address, or inactive, are named and
        skipped."""
        sent, waiting, skipped = [], [], []
        for user in queryset.select_related("profile"):
            email = services.user_invite(user=user, author=request.user, base_url=settings.SITE_URL)
            name = user.get_username()
            if email is None:
                skipped.append(name)
            elif email.status == OutgoingEmail.Status.SENT:
                sent.append(name)
            elif email.status == OutgoingEmail.Status.PENDING and not email.attempts:
                waiting.append(name)
            else:
                self.message_user(request, refused_invitation(name, email), messages.ERROR)
        if sent:
            self.message_user(
                request,
                _("Invitation sent to: %(names)s.") % {"names": ", ".join(sent)},
                messages.SUCCESS,
            )
        if waiting:
            self.message_user(
                request,
                _(
                    "Invitation to %(names)s written: the task worker sends it in a moment "
                    "(“Outgoing e-mails” shows when it has left)."
                )
                % {"names": ", ".join(waiting)},
                messages.INFO,
            )
        if skipped:
            self.message_user(
                request,
                _("No invitation for %(names)s: the account has no email address or is inactive.")
                % {"names": ", ".join(skipped)},
                messages.WARNING,
            )

    def save_formset(self, request, form, formset, change) -> None:
        """The profile (role, territory) is saved by its service: who may, history row."""
        if formset.model is not Profile:
            super().save_formset(request, form, formset, change)
            return
        for profile in formset.save(commit=False):
            services.profile_save(profile=profile, author=request.user)

    @admin.display(description=_("role"), ordering="profile__role")
    def profile_role(self, user) -> str | None:
        profile = getattr(user, "profile", None)
        return profile.get_role_display() if profile else None

    @admin.display(description=_("territory"), ordering="profile__territory__name")
    def profile_territory(self, user) -> Territory | None:
        profile = getattr(user, "profile", None)
        return profile.territory if profile else None


admin.site.site_header = _("Regard croisé — administration")
admin.site.site_title = _("Regard croisé")
