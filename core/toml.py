"""Loading readable TOML fixtures: reading a file, picking `<field>_fr` / `<field>_en` pairs,
and upserting a row. Loading is idempotent: rows are found again by slug or by a natural key and
only saved when a value differs, so loading twice changes nothing."""

import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal, TypeVar

from django.conf import settings
from django.db import models

Table = Mapping[str, Any]
ModelT = TypeVar("ModelT", bound=models.Model)
Outcome = Literal["created", "updated", "unchanged"]


def read_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as file:
        return tomllib.load(file)


def translated(data: Table, *fields: str) -> dict[str, str]:
    """The `<field>_<language>` values of `fields` in `data`, for every site language.

    A missing language is stored empty, so the site falls back to French for it. Multi-line
    TOML strings are stripped of their surrounding blank lines."""
    return {
        f"{field}_{language}": data.get(f"{field}_{language}", "").strip()
        for field in fields
        for language in settings.MODELTRANSLATION_LANGUAGES
    }


def upsert(
    model: type[ModelT], lookup: Mapping[str, Any], values: Mapping[str, Any], *, clean: bool = True
) -> tuple[ModelT, Outcome]:
    """Create the row matching `lookup` with `values`, or update it where a value differs.

    Unchanged rows are not saved (their auto_now timestamps stay put). The row is validated
    with full_clean() before saving unless `clean` is False."""
    instance = model._default_manager.filter(**lookup).first()
    outcome: Outcome
    if instance is None:
        instance, outcome = model(**{**lookup, **values}), "created"
    else:
        changed = [name for name, value in values.items() if _differs(instance, name, value)]
        if not changed:
            return instance, "unchanged"
        for name in changed:
            setattr(instance, name, values[name])
        outcome = "updated"
    if clean:
        instance.full_clean()
    instance.save()
    return instance, outcome


def _differs(instance: models.Model, name: str, value: Any) -> bool:
    field = instance._meta.get_field(name)
    if isinstance(field, models.ForeignKey):  # compare foreign keys without fetching them
        return bool(getattr(instance, field.attname) != (value.pk if value is not None else None))
    return bool(getattr(instance, name) != value)


def by_slug(model: type[ModelT], slugs: Iterable[str] | None = None) -> dict[str, ModelT]:
    """Rows of a model with a unique slug, by slug (all of them, or those in `slugs`)."""
    rows = model._default_manager.all()
    if slugs is not None:
        rows = rows.filter(slug__in=list(slugs))
    return {row.slug: row for row in rows}  # type: ignore[attr-defined]  # each has a slug
