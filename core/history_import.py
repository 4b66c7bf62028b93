"""What the migrations that started the one history (core/history.py) run, on the migration's
models (`apps`), never the live ones: kept as they were written.

- `import_changes`: each row of a former history (`partners.ChangeRecord`,
  `exchanges.ExchangeChange`) becomes a historical row of its object, at its date, by its
  author, with the field, old and new value it recorded in `imported_changes` (and readable
  in `history_change_reason`). Its snapshot columns are the object as it is at the migration
  (or, for an object deleted since, the values the record kept, blanks elsewhere).
- `write_baselines`: one row per live object, the state it is in at the migration, which the
  first change afterwards is compared with (the "History" pages do not show it).
- `export_changes`: the way back, the imported rows as rows of the former history.
"""

import datetime
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps.registry import Apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from .history import BASELINE

#: `history_change_reason` of a row imported from a former history.
IMPORTED = "imported from the former history"

#: The migrations' models are built from the migration state at run time: no type describes
#: them, nor their historical models.
StateModel = Any

ACTIONS = {"created": "+", "changed": "~", "deleted": "-"}
ACTIONS_BACK = {value: key for key, value in ACTIONS.items()}


def history_model(apps: Apps, model: StateModel) -> StateModel:
    return apps.get_model(model._meta.app_label, f"Historical{model.__name__}")


def _blank(f: models.Field[Any, Any], when: datetime.datetime) -> object:
    if f.null:
        return None
    if f.has_default():
        return f.get_default()
    if isinstance(f, models.DateTimeField):
        return when
    if isinstance(f, models.DateField):
        return when.date()
    if isinstance(f, models.DecimalField):
        return Decimal(0)
    if isinstance(f, models.IntegerField | models.FloatField):
        return 0
    if isinstance(f, models.BooleanField):
        return False
    return ""


def _snapshot(
    model: StateModel,
    history: StateModel,
    pk: int,
    live: object,
    texts: dict[str, str],
    when: datetime.datetime,
) -> dict[str, object]:
    """The columns of a historical row of object `pk`: the live object's values if it is still
    there, else the values recorded as text, blanks elsewhere."""
    values: dict[str, object] = {}
    for f in history._meta.concrete_fields:
        if f.name.startswith("history_") or f.name == "imported_changes":
            continue
        if f.name == model._meta.pk.name:
            values[f.attname] = pk
        elif live is not None:
            values[f.attname] = getattr(live, f.attname)
        elif f.name in texts and not f.is_relation:
            try:
                values[f.attname] = f.to_python(texts[f.name]) if texts[f.name] else _blank(f, when)
            except (ValidationError, InvalidOperation):
                values[f.attname] = _blank(f, when)
        else:
            values[f.attname] = None if f.is_relation else _blank(f, when)
    return values


def import_changes(
    apps: Apps,
    groups: Iterable[tuple[StateModel, int, datetime.datetime, str, int | None, list[Any]]],
) -> int:
    """`groups`: (model, object id, date, action "+"/"~"/"-", user id, [(field, old, new)]),
    one historical row each. Returns how many were written."""
    written = 0
    live_cache: dict[tuple[StateModel, int], object] = {}
    for model, pk, when, action, user_id, changes in groups:
        history = history_model(apps, model)
        key = (model, pk)
        if key not in live_cache:
            live_cache[key] = model._base_manager.filter(pk=pk).first()
        texts = {name: old or new for name, old, new in changes}
        reason = "\n".join(f"{name}: {old} → {new}" for name, old, new in changes if name)
        history.objects.create(
            history_date=when,
            history_type=action,
            history_user_id=user_id,
            history_change_reason=f"{IMPORTED}\n{reason}".strip(),
            imported_changes=[list(change) for change in changes] or [["", "", ""]],
            **_snapshot(model, history, pk, live_cache[key], texts, when),
        )
        written += 1
    return written


def write_baselines(apps: Apps, model: StateModel, m2m_fields: Iterable[str] = ()) -> None:
    """One row per live object of `model`, with its many-to-many links."""
    history = history_model(apps, model)
    now = timezone.now()
    rows = []
    objects = list(model._base_manager.all())
    for obj in objects:
        rows.append(
            history(
                history_date=now,
                history_type="~",
                history_user_id=None,
                history_change_reason=BASELINE,
                **_snapshot(model, history, obj.pk, obj, {}, now),
            )
        )
    created = history.objects.bulk_create(rows)
    if not m2m_fields:
        return
    by_object = {row.id: row for row in created}
    if any(row.pk is None for row in created):  # a database that returns no keys
        by_object = {row.id: row for row in history.objects.filter(history_change_reason=BASELINE)}
    for name in m2m_fields:
        through = model._meta.get_field(name).remote_field.through
        link_history = apps.get_model(model._meta.app_label, f"Historical{model.__name__}_{name}")
        source = model._meta.model_name
        target = next(
            f.attname
            for f in through._meta.concrete_fields
            if f.is_relation and f.related_model is not model
        )
        link_history.objects.bulk_create(
            link_history(
                history=by_object[link[f"{source}_id"]],
                **{f"{source}_id": link[f"{source}_id"], target: link[target]},
            )
            for link in through.objects.values(f"{source}_id", target)
            if link[f"{source}_id"] in by_object
        )


def remove_baselines(apps: Apps, model: StateModel) -> None:
    history_model(apps, model).objects.filter(history_change_reason=BASELINE).delete()


def export_changes(
    apps: Apps, model: StateModel, write: Callable[[StateModel, list[Any]], None]
) -> None:
    """The way back: each imported row given to `write(row, changes)`, then removed."""
    history = history_model(apps, model)
    imported = history.objects.filter(history_change_reason__startswith=IMPORTED)
    for row in imported.order_by("history_date", "history_id"):
        write(row, [change for change in row.imported_changes if change[0]])
        row.delete()
