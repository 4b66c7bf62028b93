from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin_translation import TranslatedAdmin
from core.permissions import require
from partners.history_admin import HistoryAdminMixin

from . import services
from .models import Restitution, RestitutionFile, RestitutionVersion
from .permissions import refusal_to_publish_restitution


class RestitutionVersionInline(admin.TabularInline):
    model = RestitutionVersion
    fields = ["number", "status", "progress", "published_at", "published_by", "render_seconds"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Restitution)
class RestitutionAdmin(HistoryAdminMixin, TranslatedAdmin):
    list_display = ["year", "partnership", "updated_at", "updated_by"]
    list_filter = ["partnership"]
    fields = ["partnership", "year", "introduction", "conclusion"]
    inlines = [RestitutionVersionInline]
    actions = ["publish"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "partnership", "year"] if obj is not None else fields

    def save_model(self, request, obj, form, change) -> None:
        """Through the services: the editorial text by `restitution_update` (history row)."""
        values = form.cleaned_data
        if change:
            restitution = Restitution.objects.get(pk=obj.pk)
        else:
            restitution = services.restitution_create(
                partnership=values["partnership"], year=values["year"], user=request.user
            )
            obj.pk, obj._state.adding = restitution.pk, False
        services.restitution_update(
            restitution=restitution,
            user=request.user,
            **{
                name: values.get(name) or ""
                for name in ("introduction_fr", "introduction_en", "conclusion_fr", "conclusion_en")
            },
        )

    @admin.action(description=_("Publish the selected restitutions (a new version each)"))
    def publish(self, request, queryset) -> None:
        require(refusal_to_publish_restitution(request.user))
        for restitution in queryset:
            try:
                version = services.restitution_publish(restitution=restitution, user=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{restitution}: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                self.message_user(
                    request,
                    _("%(restitution)s: version %(number)s is being rendered.")
                    % {"restitution": restitution, "number": version.number},
                )


class RestitutionFileInline(admin.TabularInline):
    model = RestitutionFile
    fields = ["edition", "format", "file", "size", "sha256"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RestitutionVersion)
class RestitutionVersionAdmin(admin.ModelAdmin):
    """Versions are made by publishing: read only here, kept for the record."""

    list_display = ["restitution", "number", "status", "progress", "published_at", "published_by"]
    list_filter = ["status"]
    readonly_fields = [
        "restitution",
        "number",
        "published_at",
        "published_by",
        "status",
        "progress",
        "task_id",
        "error",
        "rendered_at",
        "render_seconds",
        "stylesheet",
        "stylesheet_sha256",
        "acknowledged_gaps",
    ]
    inlines = [RestitutionFileInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
