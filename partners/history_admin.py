"""The admin's "History" pages: django-simple-history's list of changes, read only and to
administrators (`partners.roles` says who they are; core, below partners, cannot ask)."""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from .roles import is_administrator


class HistoryAdminMixin(SimpleHistoryAdmin):
    """The admin's "History" button shows simple-history's list of changes, read only and to
    administrators: nothing is reverted or rewritten from it (that would be a second write
    path); a change goes through the object's own form, and so through its service."""

    def history_view(self, request, object_id, extra_context=None):
        if not is_administrator(request.user):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET" or not is_administrator(request.user):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change) -> None:
        if change and not form.has_changed():
            return  # saved as it was: no empty history row
        super().save_model(request, obj, form, change)

    def revert_disabled(self, request, obj=None) -> bool:
        return True  # no "Revert" button: a change goes through the object's service
