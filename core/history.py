"""One history for every audited model: who changed what, when, kept by django-simple-history.

Each audited model gets a historical table (`exchanges_historicalexchange`, …) holding one row
per save or deletion: the object as it was then, `history_user`, `history_date` and
`history_type` (+ created, ~ changed, - deleted). What changed is read by comparing a row with
the one before (`describe`), so nothing but the snapshots is stored.

- Each app's `ready()` calls `audit(Model)`: after django-modeltranslation has added the
  `_fr`/`_en` columns (its app comes first in INSTALLED_APPS), so both languages are recorded.
- The services set the author (`obj._history_user = author`) and write one row per change;
  `one_history_row` makes a creation and its many-to-many links a single row. Anything else
  saved from an admin page is attributed by `HistoryRequestMiddleware`.
- The historical rows have no foreign key to the live row that could cascade: deleting an
  object leaves its history (and a "-" row).
- Rows imported from the former histories (`partners.ChangeRecord`, `exchanges.ExchangeChange`)
  carry the field-level change they recorded in `imported_changes` and, readable, in
  `history_change_reason`; their snapshot columns are the object as it was when they were
  imported, not as it was then.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator
from simple_history import register
from simple_history.models import HistoricalRecords

#: Who made a change: a user, or nobody (a command, the demo loader).
Author = AbstractBaseUser | AnonymousUser | None

#: A row of a historical table: a model simple-history builds at run time, with the audited
#: model's fields and its own (`history_id`, `history_date`, …), which no type describes.
HistoricalRow = Any

#: {history_id: {field name: linked ids}}
Links = dict[int, dict[str, set[int]]]

#: {(model, pk): name}
Names = dict[tuple[Any, Any], str]

#: The reason of the rows that start a history imported from the former ones (a snapshot of the
#: object then, not a change): the history pages leave them out.
BASELINE = "baseline: the object as it was when this history started"

#: Stamped by the code, not typed: a row that changes only these shows no change.
QUIET_FIELDS = {"version", "created_at", "created_by", "updated_at", "updated_by"}


class ImportedChanges(models.Model):
    """What every historical table adds to simple-history's columns."""

    imported_changes = models.JSONField(
        _("changes recorded by the former history"), default=list, blank=True
    )

    class Meta:
        abstract = True


class AuditedRecords(HistoricalRecords):
    """simple-history's records, remembered per model so a service can write a row itself."""

    of_model: dict[type[models.Model], "AuditedRecords"] = {}

    def finalize(self, sender: type[models.Model], **kwargs: Any) -> None:
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            AuditedRecords.of_model[sender] = self


def audit(model: type[models.Model], *, m2m_fields: Sequence[str] = ()) -> None:
    """Give `model` its history. Called from its app's `ready()`, translations registered."""
    register(
        model,
        # In the app's models module, where Django and the shell look for it, even when the
        # model is defined in a module of its own (exchanges/change_models.py).
        app=model._meta.app_label,
        records_class=AuditedRecords,
        bases=[ImportedChanges],
        m2m_fields=[getattr(model, name).field for name in m2m_fields],
        history_change_reason_field=models.TextField(null=True, blank=True),
        # Who changed it stays known if the account is deleted: no cascade, no constraint.
        user_db_constraint=False,
    )


def history_record(
    instance: models.Model, *, author: Author, history_type: str = "~", reason: str | None = None
) -> None:
    """One historical row now, the object as it is (and its many-to-many links)."""
    set_author(instance, author)
    if reason:
        instance._change_reason = reason  # type: ignore[attr-defined]  # simple-history's hook
    AuditedRecords.of_model[type(instance)].create_historical_record(instance, history_type)


@contextmanager
def one_history_row(
    instance: models.Model, *, author: Author, history_type: str = "~"
) -> Iterator[models.Model]:
    """Saves and many-to-many changes inside the block record nothing; one row, the object as
    it is at the end, is recorded when the block ends without error."""
    instance.skip_history_when_saving = True  # type: ignore[attr-defined]  # simple-history's
    try:
        yield instance
    finally:
        del instance.skip_history_when_saving  # type: ignore[attr-defined]
    history_record(instance, author=author, history_type=history_type)


def set_author(instance: models.Model, author: Author) -> None:
    """The next save or deletion of `instance` is recorded as made by `author`."""
    user = author if author is not None and author.is_authenticated else None
    instance._history_user = user  # type: ignore[attr-defined]  # simple-history's hook


# ---- reading the history --------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str  # the field's translated label
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    user: object  # a user, or None
    action: str  # "+", "~", "-"
    object_label: str
    changes: list[FieldChange] = field(default_factory=list)
    row: HistoricalRow = None

    @property
    def action_label(self) -> str:
        return str(ACTIONS.get(self.action, self.action))


ACTIONS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


def translated_originals(model: type[models.Model]) -> set[str]:
    """`question` when `question_fr` and `question_en` hold the text: the original column only
    mirrors one language, so the history shows the language columns."""
    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()


def shown_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    skipped = translated_originals(model) | QUIET_FIELDS
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in skipped and not isinstance(f, models.FileField)
    ]


def value_text(f: models.Field[Any, Any], value: object, names: Names) -> str:
    """A value as the history shows it: a choice's label, a related object's name."""
    if value is None or value == "":
        return ""
    if f.many_to_one or f.one_to_one:
        return names.get((f.related_model, value), f"#{value}")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, Decimal) and isinstance(f, models.DecimalField):
        return f"{value:.{f.decimal_places}f}"
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value)


def related_names(wanted: dict[Any, set[Any]]) -> Names:
    """{(model, pk): name}: one query per related model, whatever the number of rows."""
    names: Names = {}
    for model, pks in wanted.items():
        pks.discard(None)
        if pks:
            # The foreign keys a name may read (str() of a funding line names its funder).
            related = [
                field.name for field in model._meta.fields if field.many_to_one and not field.null
            ]
            rows = model._base_manager.filter(pk__in=pks)
            for obj in rows.select_related(*related) if related else rows:
                names[(model, obj.pk)] = str(obj)
    return names


def describe(
    rows: Iterable[HistoricalRow],
    *,
    model: type[models.Model],
    m2m: Links | None = None,
    label: Callable[[HistoricalRow], str] = str,
    imported_label: Callable[[str], str] | None = None,
    names: Names | None = None,
    hidden: Iterable[str] = (),
) -> list[HistoryEntry]:
    """What each historical row changed, compared with the previous row of the same object.
    `m2m`: {history_id: {field name: linked ids}}; `names`: {(model, pk): name} for the
    foreign keys and links, as `related_names` gives; `hidden`: fields the label already
    says (a cross view's exchange and territory). Oldest first."""
    hidden_names = set(hidden)
    fields = [f for f in shown_fields(model) if f.name not in hidden_names]
    m2m = m2m or {}
    rows = list(rows)
    if names is None:  # the names the foreign keys point to: one query per related model
        wanted: dict[Any, set[Any]] = defaultdict(set)
        for f in fields:
            if f.many_to_one or f.one_to_one:
                wanted[f.related_model] |= {getattr(row, f.attname) for row in rows}
        names = related_names(wanted)
    previous: dict[Any, HistoricalRow] = {}
    entries = []
    for row in sorted(rows, key=lambda r: (r.history_date, r.history_id)):
        before = previous.get(row.id)
        previous[row.id] = row
        entry = HistoryEntry(
            when=row.history_date,
            user=row.history_user,
            action=row.history_type,
            object_label=label(row),
            row=row,
        )
        if row.imported_changes:
            entry.changes = [
                FieldChange(_field_label(model, name, imported_label), old, new)
                for name, old, new in row.imported_changes
            ]
            entries.append(entry)
            continue
        for f in fields:
            new = value_text(f, getattr(row, f.attname), names)
            if row.history_type == "+" or before is None:
                old = ""
            else:
                old = value_text(f, getattr(before, f.attname), names)
            if row.history_type == "-":
                old, new = new, ""
            if old != new:
                entry.changes.append(FieldChange(str(f.verbose_name), old, new))
        for name, linked in m2m.get(row.history_id, {}).items():
            link = model._meta.get_field(name)
            had = m2m.get(before.history_id, {}).get(name, set()) if before else set()
            if linked != had or (before is None and linked):
                entry.changes.append(
                    FieldChange(
                        str(getattr(link, "verbose_name", name)),
                        _names(link.related_model, had, names),
                        _names(link.related_model, linked, names),
                    )
                )
        if entry.changes or row.history_type != "~":
            entries.append(entry)
    return entries


def _names(model: Any, pks: set[int], names: Names) -> str:
    return "; ".join(sorted(names.get((model, pk), f"#{pk}") for pk in pks))


def _field_label(
    model: type[models.Model], name: str, imported_label: Callable[[str], str] | None
) -> str:
    if imported_label is not None:
        text = imported_label(name)
        if text:
            return text
    try:
        return str(getattr(model._meta.get_field(name), "verbose_name", name))
    except FieldDoesNotExist:  # a field since removed
        return name


def m2m_links(history_model: Any, rows: Sequence[HistoricalRow], fields: Sequence[str]) -> Links:
    """{history_id: {field: linked ids}} for the rows: one query per many-to-many field."""
    links: Links = defaultdict(dict)
    ids = [row.history_id for row in rows]
    for name in fields:
        link_model = getattr(history_model, name).model
        through = link_model.instance_type
        target = next(
            f.attname
            for f in through._meta.concrete_fields
            if f.is_relation and f.related_model is not history_model.instance_type
        )
        for row in ids:
            links[row][name] = set()
        for history_id, pk in link_model.objects.filter(history_id__in=ids).values_list(
            "history_id", target
        ):
            links[history_id][name].add(pk)
    return links
