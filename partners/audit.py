"""Who changed what in the administration: the field-level history of audited objects.

Funding lines, questionings and work tracks are edited in the Django admin, often inline on
their parent's page. Each save there writes `ChangeRecord` rows (who, when, which field, old
and new value), called explicitly from the admin classes below; nothing hides in `save()` or
in signals, so bulk work and data loading write no history.

To audit another model edited in the admin:

- its own admin: `class ThingAdmin(AuditedAdminMixin, admin.ModelAdmin)`;
- each inline that edits it: `class ThingInline(AuditedInlineMixin, admin.TabularInline)`,
  on a parent admin with `AuditedInlinesMixin` (which `AuditedAdminMixin` includes; a system
  check says so when it is missing).

Its change page then shows its history, and the "history of changes" list covers it.
"""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.models import ContentType
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.forms import BaseForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator

from . import roles
from .models import ChangeRecord

#: (field name, old value, new value), values as text.
FieldChange = tuple[str, str, str]


def value_as_text(field: models.Field, value) -> str:
    """A field's value as the history keeps it. A foreign key may be given as an object or
    as its key (what a form's initial data holds)."""
    if value is None:
        return ""
    if field.many_to_many:
        return "; ".join(sorted(str(item) for item in value))
    if field.many_to_one or field.one_to_one:
        if not isinstance(value, models.Model):
            target = field.remote_field.field_name
            found = field.related_model._base_manager.filter(**{target: value}).first()
            return str(found) if found is not None else f"#{value}"
        return str(value)
    if isinstance(field, models.DecimalField) and isinstance(value, Decimal):
        return f"{value:.{field.decimal_places}f}"
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value)


def _translated_originals(model: type[models.Model]) -> set[str]:
    """`question` when `question_fr` and `question_en` hold the text: the original field
    only mirrors the current language, so the history records the language columns."""
    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()


def _recorded_fields(model: type[models.Model]) -> list[models.Field]:
    skipped = _translated_originals(model)
    return [
        field
        for field in model._meta.get_fields()
        if field.concrete
        and not field.auto_created
        and field.editable
        and not field.primary_key
        and not field.many_to_many
        and field.name not in skipped
    ]


def form_changes(form: BaseForm) -> list[FieldChange]:
    """What an edit form changes on its object: its `changed_data`, old values from the
    form's initial data (the object as loaded), new ones from its cleaned data."""
    model = form._meta.model
    changes = []
    for name in form.changed_data:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue  # a form-only field
        if not field.concrete or field.primary_key or name in _translated_originals(model):
            continue
        old = value_as_text(field, form.initial.get(name))
        new = value_as_text(field, form.cleaned_data.get(name))
        if old != new:
            changes.append((name, old, new))
    return changes


def object_values(obj: models.Model) -> list[FieldChange]:
    """Every filled field of an object, as (name, "", value): what a creation records."""
    changes = []
    for field in _recorded_fields(type(obj)):
        text = value_as_text(field, getattr(obj, field.name))
        if text:
            changes.append((field.name, "", text))
    return changes


def change_records_add(
    *,
    obj: models.Model,
    user,
    action: ChangeRecord.Action,
    changes: Iterable[FieldChange],
    object_id: int | None = None,
) -> list[ChangeRecord]:
    """One row per changed field, all at the same moment; a creation or a deletion leaves
    at least one row. `object_id` names a deleted object (its `pk` is gone by then)."""
    if action != ChangeRecord.Action.CHANGED:
        changes = list(changes) or [("", "", "")]
    common = {
        "content_type": ContentType.objects.get_for_model(obj),
        "object_id": object_id if object_id is not None else obj.pk,
        "object_repr": str(obj)[:200],
        "user": user if user is not None and user.is_authenticated else None,
        "changed_at": timezone.now(),
        "action": action,
    }
    rows = [
        ChangeRecord(field=name, old_value=old, new_value=new, **common)
        for name, old, new in changes
    ]
    return ChangeRecord.objects.bulk_create(rows)


def _deletion(obj: models.Model) -> tuple[models.Model, int, list[FieldChange]]:
    """Read before deleting: the object's key and values, as (name, value, "")."""
    values = [(name, new, old) for name, old, new in object_values(obj)]
    return obj, obj.pk, values


def _record_deletions(user, deletions: Sequence[tuple[models.Model, int, list]]) -> None:
    for obj, pk, values in deletions:
        change_records_add(
            obj=obj, user=user, action=ChangeRecord.Action.DELETED, changes=values, object_id=pk
        )


# ---- the admin side -------------------------------------------------------------------------


class ReadOnlyHistoryMixin:
    """A history (of the audited objects below, of exchanges) is written by the code, never
    typed; only administrators read it."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return roles.is_administrator(request.user) and super().has_view_permission(request, obj)


class ChangeRecordColumns:
    """A change record's field and values, readable: for the history's list and inline."""

    @admin.display(description=_("field"), ordering="field")
    def field_label(self, record: ChangeRecord) -> str:
        return record.field_label

    @admin.display(description=_("old value"))
    def old_value_label(self, record: ChangeRecord) -> str:
        return record.value_label(record.old_value)

    @admin.display(description=_("new value"))
    def new_value_label(self, record: ChangeRecord) -> str:
        return record.value_label(record.new_value)


class ChangeRecordInline(ChangeRecordColumns, ReadOnlyHistoryMixin, GenericTabularInline):
    """The object's own history, at the bottom of its change page."""

    model = ChangeRecord
    ct_field = "content_type"
    ct_fk_field = "object_id"
    extra = 0
    fields = ["changed_at", "user", "action", "field_label", "old_value_label", "new_value_label"]
    readonly_fields = fields
    verbose_name_plural = _("history of changes")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "content_type")


class AuditedInlineMixin:
    """On an inline: the rows it adds, changes or deletes are recorded by the parent admin,
    which needs `AuditedInlinesMixin`."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.audited = True  # a class made for this request: marking it is safe
        return formset

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        parent = self.admin_site._registry.get(self.parent_model)
        if parent is not None and not isinstance(parent, AuditedInlinesMixin):
            errors.append(
                checks.Error(
                    f"{type(self).__name__} is audited but {type(parent).__name__} would not "
                    "record its changes.",
                    hint=f"Add partners.audit.AuditedInlinesMixin to {type(parent).__name__}.",
                    obj=type(self),
                    id="partners.E001",
                )
            )
        return errors


class AuditedInlinesMixin:
    """On a ModelAdmin: records what its audited inlines (`AuditedInlineMixin`) change."""

    def save_formset(self, request, form, formset, change) -> None:
        if not getattr(formset, "audited", False):
            super().save_formset(request, form, formset, change)
            return
        deleted_forms = formset.deleted_forms if formset.can_delete else []
        deletions = [_deletion(item.instance) for item in deleted_forms]
        edits = [
            (item.instance, form_changes(item))
            for item in formset.initial_forms
            if item not in deleted_forms and item.has_changed()
        ]
        super().save_formset(request, form, formset, change)
        user = request.user
        for obj, changes in edits:
            change_records_add(
                obj=obj, user=user, action=ChangeRecord.Action.CHANGED, changes=changes
            )
        for obj in formset.new_objects:
            change_records_add(
                obj=obj, user=user, action=ChangeRecord.Action.CREATED, changes=object_values(obj)
            )
        _record_deletions(user, deletions)


class AuditedAdminMixin(AuditedInlinesMixin):
    """On a ModelAdmin: records what it creates, changes and deletes, its audited inlines
    too, and shows each object's history on its change page."""

    def get_inlines(self, request, obj):
        inlines = list(super().get_inlines(request, obj))
        return [*inlines, ChangeRecordInline] if obj is not None else inlines

    def save_model(self, request, obj, form, change) -> None:
        changes = form_changes(form) if change else []
        super().save_model(request, obj, form, change)
        if change:
            action = ChangeRecord.Action.CHANGED
        else:
            action, changes = ChangeRecord.Action.CREATED, object_values(obj)
        change_records_add(obj=obj, user=request.user, action=action, changes=changes)

    def delete_model(self, request, obj) -> None:
        deletion = _deletion(obj)
        super().delete_model(request, obj)
        _record_deletions(request.user, [deletion])

    def delete_queryset(self, request, queryset) -> None:
        """The "delete selected" action."""
        deletions = [_deletion(obj) for obj in queryset]
        super().delete_queryset(request, queryset)
        _record_deletions(request.user, deletions)
