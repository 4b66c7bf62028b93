"""The exchanges' admin pages: a view like any other, whose writes go through the services
(who may, version compare, one history row), never `obj.save()` here.

A change form carries the version it was opened on (`expected_version`, hidden): if someone
saved meanwhile, the form is shown again with what was typed and the conflict said above it;
saving again then replaces their version, knowingly, as on the officers' pages."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationTabularInline

from core.admin_translation import TranslatedAdmin
from partners.history_admin import HistoryAdminMixin

from . import conflicts, selectors, services
from .models import Attachment, CrossView, Establishment, EstablishmentKind, Exchange


class VersionedAdminForm(forms.ModelForm):
    """Optimistic locking in the admin: the version the form was opened on, compared as the
    form is checked (the service compares it again as it saves)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = self.instance.version if self.instance.pk else 0

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        model = type(self.instance)
        current = (
            model._base_manager.select_related("updated_by").filter(pk=self.instance.pk).first()
        )
        expected = cleaned.get("expected_version")
        if current is not None and expected != current.version:
            # Shown again with what was typed, now based on their version: saving again is a
            # deliberate choice to replace it.
            self.data = self.data.copy()
            self.data[self.add_prefix("expected_version")] = str(current.version)
            raise ValidationError(self.conflict_message(current), code="conflict")
        return cleaned

    def conflict_message(self, current) -> str:
        raise NotImplementedError


class ExchangeAdminForm(VersionedAdminForm):
    def conflict_message(self, current) -> str:
        return conflicts.exchange_conflict_message(conflicts.saved_by(current))


class CrossViewAdminForm(VersionedAdminForm):
    def conflict_message(self, current) -> str:
        return conflicts.cross_view_conflict_message(conflicts.saved_by(current))


@admin.register(EstablishmentKind)
class EstablishmentKindAdmin(TranslatedAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name_fr"]}


@admin.register(Establishment)
class EstablishmentAdmin(HistoryAdminMixin, TranslatedAdmin):
    list_display = ["name", "kind", "town", "territory"]
    list_filter = ["kind", "territory", "strands"]
    search_fields = ["name", "town"]
    list_select_related = ["territory", "kind"]
    filter_horizontal = ["strands"]

    def delete_model(self, request, obj: Establishment) -> None:
        """Through the service, which forgets the key figures of the exchanges that visited it."""
        services.establishment_delete(establishment=obj, author=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for establishment in queryset:
            services.establishment_delete(establishment=establishment, author=request.user)


class CrossViewInline(TranslationTabularInline):
    """Saved by `cross_view_save` (ExchangeAdmin.save_formset): a new version each time."""

    model = CrossView
    form = CrossViewAdminForm
    extra = 0
    fields = ["territory", "text", "expected_version", "updated_by", "updated_at"]
    readonly_fields = ["updated_by", "updated_at"]
    can_delete = False  # a territory's side is rewritten, never removed


class AttachmentInline(TranslationTabularInline):
    model = Attachment
    extra = 0
    fields = ["file", "caption", "credit", "content_type", "size", "uploaded_by"]
    readonly_fields = ["file", "content_type", "size", "uploaded_by"]
    can_delete = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # uploads go through the officers' page, which checks their content


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
class ExchangeAdmin(HistoryAdminMixin, TranslatedAdmin):
    form = ExchangeAdminForm
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
        "changes",
    ]
    inlines = [CrossViewInline, AttachmentInline]
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

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "partnership"] if obj is not None else fields

    @admin.display(description=_("history of changes"))
    def changes(self, exchange: Exchange) -> str:
        """Who changed which field, when: the exchange, its cross views and attachments."""
        if exchange.pk is None:
            return "—"
        return render_to_string(
            "exchanges/includes/history.html",
            {"history": selectors.exchange_history(exchange)},
        )

    def save_model(self, request, obj: Exchange, form, change: bool) -> None:
        """Through the services: an administrator's change is a new version, compared with the
        one the form was opened on, and one history row."""
        values = form.cleaned_data
        if not change:
            created = services.exchange_create(
                author=request.user, partnership=values["partnership"], values=values
            )
            obj.pk, obj._state.adding = created.pk, False
            return
        if not form.has_changed():
            return  # saved as it was: no new version, no history row
        try:
            services.exchange_update(
                exchange=Exchange.objects.get(pk=obj.pk),
                author=request.user,
                expected_version=values["expected_version"],
                values=values,
            )
        except services.EditConflict:  # saved in the instant since the form was checked
            request.exchange_conflict = True

    def save_related(self, request, form, formsets, change: bool) -> None:
        """The links were set by the service; the inlines go through theirs."""
        for formset in formsets:  # what the admin's log message reads, even if none is saved
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if getattr(request, "exchange_conflict", False):
            return
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(self, request, form, formset, change: bool) -> None:
        exchange = Exchange.objects.get(pk=form.instance.pk)
        if formset.model is CrossView:
            for item in formset.forms:
                if not item.has_changed() or not item.cleaned_data:
                    continue
                try:
                    saved = services.cross_view_save(
                        exchange=exchange,
                        territory=item.cleaned_data["territory"],
                        author=request.user,
                        text_fr=item.cleaned_data.get("text_fr") or "",
                        text_en=item.cleaned_data.get("text_en") or "",
                        expected_version=item.cleaned_data.get("expected_version") or 0,
                    )
                except services.EditConflict:
                    request.exchange_conflict = True
                else:
                    formset.changed_objects.append((saved, item.changed_data))
        elif formset.model is Attachment:
            for attachment in formset.save(commit=False):
                services.attachment_update(attachment=attachment, author=request.user)
            for attachment in formset.deleted_objects:
                services.attachment_delete(attachment=attachment, author=request.user)
        else:
            super().save_formset(request, form, formset, change)

    def response_change(self, request, obj):
        if getattr(request, "exchange_conflict", False):
            self.message_user(
                request,
                _("Someone saved this exchange at the same moment: nothing of yours was saved."),
                messages.ERROR,
            )
            return self.response_post_save_change(request, obj)
        return super().response_change(request, obj)

    def get_deleted_objects(self, objs, request):
        """Deleting is soft (the exchange, its cross views, files and history are kept, and
        the "bring back" action undoes it): the confirmation lists the exchanges only."""
        _deleted, _count, _perms_needed, _protected = super().get_deleted_objects(objs, request)
        names = [str(obj) for obj in objs]
        return names, {Exchange._meta.verbose_name_plural: len(names)}, set(), []

    def delete_model(self, request, obj: Exchange) -> None:
        services.exchange_delete(exchange=obj, author=request.user)

    def delete_queryset(self, request, queryset) -> None:
        """The "delete selected" action: each one soft-deleted by the service."""
        for exchange in queryset.filter(deleted_at__isnull=True):
            services.exchange_delete(exchange=exchange, author=request.user)


@admin.register(CrossView)
class CrossViewAdmin(HistoryAdminMixin, TranslatedAdmin):
    form = CrossViewAdminForm
    list_display = ["exchange", "territory", "updated_by", "updated_at"]
    list_filter = ["territory"]
    search_fields = ["text", "exchange__title"]
    list_select_related = ["exchange", "territory", "updated_by"]
    readonly_fields = ["version", "updated_by", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "exchange", "territory"] if obj is not None else fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a territory's side is rewritten, never removed

    def save_model(self, request, obj: CrossView, form, change: bool) -> None:
        """Through `cross_view_save`: compared with the version the form was opened on, a new
        version and one history row."""
        values = form.cleaned_data
        try:
            saved = services.cross_view_save(
                exchange=obj.exchange,
                territory=obj.territory,
                author=request.user,
                text_fr=values.get("text_fr") or "",
                text_en=values.get("text_en") or "",
                expected_version=values["expected_version"] if change else 0,
            )
        except services.EditConflict:  # saved in the instant since the form was checked
            request.exchange_conflict = True
        else:
            obj.pk, obj._state.adding = saved.pk, False

    def response_change(self, request, obj):
        if getattr(request, "exchange_conflict", False):
            self.message_user(
                request,
                _("Someone saved this cross view at the same moment: nothing of yours was saved."),
                messages.ERROR,
            )
            return self.response_post_save_change(request, obj)
        return super().response_change(request, obj)


# The changes on the territories' admin, in a module of its own.
from . import change_admin  # noqa: E402, F401
