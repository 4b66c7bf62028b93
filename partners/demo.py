"""Demo data of the partners app (fixtures/partners.toml), and the helpers every demo loader
shares: reading a TOML file, picking `<field>_fr` / `<field>_en` pairs, and upserting a row.

Loading is idempotent: rows are found again by slug or by a natural key and only saved when a
value differs, so loading twice changes nothing.
"""

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models

from .models import (
    Contact,
    FundingLine,
    Organisation,
    Partnership,
    PartnershipRole,
    Profile,
    Territory,
)

Table = Mapping[str, Any]
ModelT = TypeVar("ModelT", bound=models.Model)
Outcome = Literal["created", "updated", "unchanged"]


# --- Shared helpers ---------------------------------------------------------------------


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
    if field.many_to_one or field.one_to_one:  # compare foreign keys without fetching them
        return getattr(instance, field.attname) != (value.pk if value is not None else None)
    return getattr(instance, name) != value


def by_slug(model: type[ModelT], slugs: Iterable[str] | None = None) -> dict[str, ModelT]:
    """Rows of a model with a unique slug, by slug (all of them, or those in `slugs`)."""
    rows = model._default_manager.all()
    if slugs is not None:
        rows = rows.filter(slug__in=list(slugs))
    return {row.slug: row for row in rows}


# --- Demo accounts ----------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    territory: str | None


@dataclass(frozen=True)
class DemoAccounts:
    password: str
    accounts: list[DemoAccount]


def demo_accounts(path: Path) -> DemoAccounts:
    """The demo accounts declared in partners.toml and their shared (demo only) password."""
    data = read_toml(path)
    return DemoAccounts(
        password=data["demo"]["password"],
        accounts=[
            DemoAccount(user["username"], user["role"], user.get("territory"))
            for user in data["users"]
        ],
    )


# --- Loader -----------------------------------------------------------------------------


def load(path: Path) -> None:
    data = read_toml(path)
    for item in data["territories"]:
        _load_territory(item)
    territories = by_slug(Territory)
    for item in data["organisations"]:
        _load_organisation(item, territories)
    organisations = by_slug(Organisation)
    for item in data["partnerships"]:
        _load_partnership(item, territories, organisations)
    for item in data["contacts"]:
        _load_contact(item, organisations)
    for item in data["users"]:
        _load_user(item, data["demo"]["password"], territories)


def _load_territory(item: Table) -> None:
    upsert(Territory, {"slug": item["slug"]}, translated(item, "name", "country"))


def _load_organisation(item: Table, territories: Mapping[str, Territory]) -> None:
    upsert(
        Organisation,
        {"slug": item["slug"]},
        {
            **translated(item, "name", "short_name", "description"),
            "territory": territories[item["territory"]] if "territory" in item else None,
            "founded_year": item.get("founded_year"),
            "website": item.get("website", ""),
        },
    )


def _load_partnership(
    item: Table, territories: Mapping[str, Territory], organisations: Mapping[str, Organisation]
) -> None:
    partnership, _ = upsert(
        Partnership,
        {"slug": item["slug"]},
        {
            **translated(
                item,
                "name",
                "framework_agreement",
                "context",
                "project_title",
                "project_subtitle",
                "objectives",
                "pilot_rationale",
            ),
            "since_year": item["since_year"],
        },
    )
    partnership.territories.set([territories[slug] for slug in item["territories"]])
    for order, role in enumerate(item.get("roles", []), start=1):
        _load_role(partnership, role, order, organisations)
    for order, line in enumerate(item.get("funding_lines", []), start=1):
        _load_funding_line(partnership, line, order, organisations)


def _load_role(
    partnership: Partnership, item: Table, order: int, organisations: Mapping[str, Organisation]
) -> None:
    upsert(
        PartnershipRole,
        {
            "partnership": partnership,
            "organisation": organisations[item["organisation"]],
            "role": item["role"],
        },
        {**translated(item, "description"), "order": order},
    )


def _load_funding_line(
    partnership: Partnership, item: Table, order: int, organisations: Mapping[str, Organisation]
) -> None:
    upsert(
        FundingLine,
        {
            "partnership": partnership,
            "funder": organisations[item["funder"]],
            "period_start": item["period_start"],
        },
        {
            "amount": item["amount"],
            "currency": item["currency"],
            "period_end": item["period_end"],
            "status": item["status"],
            "order": order,
        },
    )


def _load_contact(item: Table, organisations: Mapping[str, Organisation]) -> None:
    upsert(
        Contact,
        {"organisation": organisations[item["organisation"]], "full_name": item["full_name"]},
        {
            "job_title": item.get("job_title", ""),
            "email": item.get("email", ""),
            "phone": item.get("phone", ""),
        },
    )


def _load_user(item: Table, password: str, territories: Mapping[str, Territory]) -> None:
    # Users are not full_clean()ed: a new user has no password until set_password below.
    user, _ = upsert(
        get_user_model(),
        {"username": item["username"]},
        {
            "first_name": item.get("first_name", ""),
            "last_name": item.get("last_name", ""),
            "is_active": True,
            "is_staff": item.get("is_staff", False),
            "is_superuser": item.get("is_superuser", False),
        },
        clean=False,
    )
    if not user.check_password(password):  # set_password salts anew: only when it differs
        user.set_password(password)
        user.save(update_fields=["password"])
    upsert(
        Profile,
        {"user": user},
        {
            "role": item["role"],
            "territory": territories[item["territory"]] if "territory" in item else None,
        },
    )
