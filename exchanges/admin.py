from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from partners.audit import ReadOnlyHistoryMixin

from . import services
from .models import Attachment, CrossView, Establishment, Exchange, ExchangeChange


@admin.register(Establishment)
class EstablishmentAdmin(TabbedTranslationAdmin):
    list_display = ["name", "kind", "town", "territory"]
    list_filter = ["kind", "territory", "strands"]
    search_fields = ["name", "town"]
    list_select_related = ["territory"]
    filter_horizontal = ["strands"]


class CrossViewInline(TranslationTabularInline):
    model = CrossView
    extra = 0
    fields = ["territory", "text", "updated_by", "updated_at"]
    readonly_fields = ["updated_by", "updated_at"]


class AttachmentInline(TranslationTabularInline):
    model = Attachment
    extra = 0
    fields = ["file", "caption", "credit", "content_type", "size", "uploaded_by"]
    readonly_fields = ["file", "content_type", "size", "uploaded_by"]
    can_delete = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # uploads go through the officers' page, which checks their content


class ExchangeChangeInline(ReadOnlyHistoryMixin, admin.TabularInline):
    model = ExchangeChange
    extra = 0
    fields = ["changed_at", "user", "field_label", "old_value", "new_value"]
    readonly_fields = fields
    verbose_name_plural = _("history of changes")

    @admin.display(description=_("field"))
    def field_label(self, change: ExchangeChange) -> str:
        return change.field_label


class DeletedFilter(admin.SimpleListFilter):
    """Deleted exchanges stay in the database (soft delete) and can be brought back."""

    title = _("deleted")
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return [("no", _("Not deleted")), ("yes", _("Deleted"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(deleted_at__isnull=True)
        return queryset


@admin.register(Exchange)
class ExchangeAdmin(TabbedTranslationAdmin):
    list_display = [
        "title",
        "start_date",
        "kind",
        "host_territory",
        "visiting_territory",
        "professionals_met_count",
        "updated_by",
    ]
    list_filter = [
        DeletedFilter,
        "kind",
        "host_territory",
        "visiting_territory",
        "strands",
        "partnership",
    ]
    search_fields = ["title", "summary", "place"]
    date_hierarchy = "start_date"
    list_select_related = ["host_territory", "visiting_territory", "updated_by"]
    filter_horizontal = ["strands", "questionings", "recommendations", "establishments"]
    readonly_fields = [
        "version",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
        "deleted_at",
        "deleted_by",
    ]
    inlines = [CrossViewInline, AttachmentInline, ExchangeChangeInline]
    actions = ["restore_exchanges"]

    @admin.action(description=_("Bring back the selected deleted exchanges"))
    def restore_exchanges(self, request, queryset) -> None:
        restored = 0
        for exchange in queryset.filter(deleted_at__isnull=False):
            services.exchange_restore(exchange=exchange, author=request.user)
            restored += 1
        self.message_user(
            request,
            ngettext("%(count)d exchange is back.", "%(count)d exchanges are back.", restored)
            % {"count": restored},
        )

    def save_model(self, request, obj: Exchange, form, change: bool) -> None:
        """An administrator's change is a new version too: officers' open forms conflict."""
        if change:
            obj.version += 1
        else:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CrossView)
class CrossViewAdmin(TabbedTranslationAdmin):
    list_display = ["exchange", "territory", "updated_by", "updated_at"]
    list_filter = ["territory"]
    search_fields = ["text", "exchange__title"]
    list_select_related = ["exchange", "territory", "updated_by"]
    readonly_fields = ["version", "updated_by", "updated_at"]


@admin.register(ExchangeChange)
class ExchangeChangeAdmin(ReadOnlyHistoryMixin, admin.ModelAdmin):
    list_display = ["changed_at", "exchange", "user", "field_label", "old_value", "new_value"]
    list_filter = ["changed_at", "user"]
    search_fields = ["exchange__title", "field", "old_value", "new_value"]
    list_select_related = ["exchange", "user"]
    date_hierarchy = "changed_at"

    @admin.display(description=_("field"))
    def field_label(self, change: ExchangeChange) -> str:
        return change.field_label
