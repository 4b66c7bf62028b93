"""The admin of the changes and of the lines of action's yearly stages: writes go through the
services (who may, version compare, one history row), never `obj.save()` here."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.admin_translation import TranslatedAdmin
from exchanges.admin import VersionedAdminForm
from partners.history_admin import HistoryAdminMixin

from . import services
from .models import PolicyChange, WorkTrackProgress


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


class WorkTrackProgressAdminForm(forms.ModelForm):
    class Meta:
        model = WorkTrackProgress
        fields = ["work_track", "year", "stage", "note", "illustrative"]


@admin.register(WorkTrackProgress)
class WorkTrackProgressAdmin(HistoryAdminMixin, admin.ModelAdmin):
    form = WorkTrackProgressAdminForm
    list_display = ["work_track", "year", "stage", "illustrative"]
    list_filter = ["year", "stage", "work_track__territory"]
    list_select_related = ["work_track"]
    search_fields = ["work_track__title", "note"]

    def save_model(self, request, obj: WorkTrackProgress, form, change: bool) -> None:
        values = form.cleaned_data
        saved = services.work_track_stage_set(
            work_track=values["work_track"],
            year=values["year"],
            stage=values["stage"],
            note=values.get("note", ""),
            illustrative=values.get("illustrative", False),
            author=request.user,
        )
        obj.pk, obj._state.adding = saved.pk, False

    def delete_model(self, request, obj: WorkTrackProgress) -> None:
        services.work_track_stage_delete(progress=obj, author=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for progress in queryset.select_related("work_track"):
            services.work_track_stage_delete(progress=progress, author=request.user)
