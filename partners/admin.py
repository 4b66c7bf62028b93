from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from .audit import (
    AuditedAdminMixin,
    AuditedInlineMixin,
    AuditedInlinesMixin,
    ChangeRecordColumns,
    ReadOnlyHistoryMixin,
)
from .models import (
    ChangeRecord,
    Contact,
    FundingLine,
    Organisation,
    Partnership,
    PartnershipRole,
    Profile,
    Territory,
)


@admin.register(Territory)
class TerritoryAdmin(TabbedTranslationAdmin):
    list_display = ["name", "country", "slug"]
    search_fields = ["name", "country"]


class PartnershipRoleInline(TranslationTabularInline):
    model = PartnershipRole
    extra = 0
    autocomplete_fields = ["organisation"]


class FundingLineInline(AuditedInlineMixin, admin.TabularInline):
    model = FundingLine
    extra = 0
    autocomplete_fields = ["funder"]
    show_change_link = True  # its page shows its history


@admin.register(Partnership)
class PartnershipAdmin(AuditedInlinesMixin, TabbedTranslationAdmin):
    list_display = ["name", "project_title", "since_year"]
    search_fields = ["name", "project_title"]
    filter_horizontal = ["territories"]
    inlines = [PartnershipRoleInline, FundingLineInline]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(TabbedTranslationAdmin):
    list_display = ["name", "short_name", "territory", "founded_year"]
    list_filter = ["territory", "roles__role"]
    search_fields = ["name", "short_name"]
    inlines = [ContactInline]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["full_name", "job_title", "organisation", "email"]
    list_filter = ["organisation"]
    search_fields = ["full_name", "email", "organisation__name"]
    list_select_related = ["organisation"]


@admin.register(FundingLine)
class FundingLineAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["funder", "partnership", "amount", "currency", "period_start", "status"]
    list_filter = ["partnership", "currency", "status", "funder"]
    search_fields = ["funder__name"]
    list_select_related = ["funder", "partnership"]
    autocomplete_fields = ["funder"]


@admin.register(ChangeRecord)
class ChangeRecordAdmin(ChangeRecordColumns, ReadOnlyHistoryMixin, admin.ModelAdmin):
    """Who changed which funding line, questioning or work track, when: read only."""

    list_display = [
        "changed_at",
        "object_link",
        "action",
        "field_label",
        "old_value_label",
        "new_value_label",
        "user",
    ]
    list_filter = [
        ("content_type", admin.RelatedOnlyFieldListFilter),
        ("user", admin.RelatedOnlyFieldListFilter),
        "action",
        "changed_at",
    ]
    search_fields = ["object_repr", "field", "old_value", "new_value", "user__username"]
    list_select_related = ["content_type", "user"]
    date_hierarchy = "changed_at"

    @admin.display(description=_("object"), ordering="object_repr")
    def object_link(self, record: ChangeRecord) -> str:
        try:
            url = reverse(
                f"admin:{record.content_type.app_label}_{record.content_type.model}_change",
                args=[record.object_id],
            )
        except NoReverseMatch:
            return record.object_repr
        return format_html('<a href="{}">{}</a>', url, record.object_repr)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "territory"]
    list_filter = ["role", "territory"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "territory"]


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserWithProfileAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "first_name", "last_name", "profile__role", "profile__territory"]
    list_filter = ["profile__role", "profile__territory", "is_staff", "is_active"]
    list_select_related = ["profile__territory"]


admin.site.site_header = _("Regard croisé — administration")
admin.site.site_title = _("Regard croisé")
