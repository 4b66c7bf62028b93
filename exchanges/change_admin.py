"""The admin of the changes on the territories: writes go through the services (who may,
version compare, one history row), never `obj.save()` here. Registered by exchanges/admin.py."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.admin_translation import TranslatedAdmin
from partners.history_admin import HistoryAdminMixin

from . import change_services as services
from .admin import VersionedAdminForm
from .models import PolicyChange


class PolicyChangeAdminForm(VersionedAdminForm):
    def conflict_message(self, current) -> str:
        return str(
            _(
                "Someone saved this change while you were editing it. Your text is kept below; "
                "save again to replace their version."
            )
        )


@admin.register(PolicyChange)
class PolicyChangeAdmin(HistoryAdminMixin, TranslatedAdmin):
    form = PolicyChangeAdminForm
    list_display = ["title", "territory", "date", "stage", "origin", "illustrative"]
    list_filter = ["territory", "stage", "origin", "illustrative", "partnership"]
    search_fields = ["title", "description", "decision_reference"]
    date_hierarchy = "date"
    list_select_related = ["territory"]
    filter_horizontal = ["questionings", "work_tracks", "exchanges"]
    readonly_fields = [
        "evidence",
        "evidence_content_type",
        "evidence_name",
        "version",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "partnership"] if obj is not None else fields

    def save_model(self, request, obj: PolicyChange, form, change: bool) -> None:
        values = dict(form.cleaned_data)
        if not change:
            created = services.change_create(
                author=request.user, partnership=values["partnership"], values=values
            )
            obj.pk, obj._state.adding = created.pk, False
            return
        if not form.has_changed():
            return
        try:
            services.change_update(
                change=PolicyChange.objects.get(pk=obj.pk),
                author=request.user,
                expected_version=values["expected_version"],
                values=values,
            )
        except services.EditConflict:
            request.change_conflict = True

    def save_related(self, request, form, formsets, change: bool) -> None:
        """The links were set by the service."""

    def response_change(self, request, obj):
        if getattr(request, "change_conflict", False):
            self.message_user(
                request,
                _("Someone saved this change at the same moment: nothing of yours was saved."),
                messages.ERROR,
            )
            return self.response_post_save_change(request, obj)
        return super().response_change(request, obj)

    def delete_model(self, request, obj: PolicyChange) -> None:
        services.change_delete(change=obj, author=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for change in queryset:
            services.change_delete(change=change, author=request.user)
