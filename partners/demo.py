"""Demo data of the partners app (fixtures/partners.toml), loaded with core.toml's helpers."""

import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

from core.toml import Table, by_slug, read_toml, translated, upsert

from .models import (
    Contact,
    FundingLine,
    Organisation,
    Partnership,
    PartnershipRole,
    Profile,
    SpecificObjective,
    Territory,
)

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


def report(path: Path) -> list[str]:
    """For load_demo's closing lines: the demo accounts, their roles and shared password."""
    demo = demo_accounts(path)
    lines = ["Demo accounts (DEMO ONLY: never keep them on a public server):"]
    for account in demo.accounts:
        role = Profile.Role(account.role).label
        where = f", {account.territory}" if account.territory else ""
        lines.append(f"  {account.username:<16} {role}{where}")
    lines.append(f"Password of every demo account: {demo.password}")
    return lines


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
    values = translated(item, "name", "country")
    values["article_fr"] = item.get("article_fr", "")
    upsert(Territory, {"slug": item["slug"]}, values)


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
    if "demo_logo" in item:
        _give_demo_logo(item["slug"], **item["demo_logo"])


def demo_logo_png(initials: str, colour: str) -> bytes:
    """A stand-in logo for the demo: the initials in white on a coloured square, 96 pixels a
    side (a few hundred bytes). Drawn here rather than committed, so that it is plainly no
    organisation's own."""
    image = Image.new("RGB", (96, 96), colour)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=40)
    draw.text((48, 48), initials, fill="white", font=font, anchor="mm")
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


def _give_demo_logo(slug: str, *, initials: str, colour: str) -> None:
    """An illustrative logo for an organisation that has none (one an administrator uploaded
    is never replaced; loading again changes nothing)."""
    organisation = Organisation.objects.get(slug=slug)
    if organisation.logo:
        return
    organisation.logo.save(f"{slug}.png", ContentFile(demo_logo_png(initials, colour)), save=False)
    organisation.logo_illustrative = True
    organisation.full_clean()
    organisation.save(update_fields=["logo", "logo_illustrative"])


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
    for objective in item.get("specific_objectives", []):
        upsert(
            SpecificObjective,
            {"partnership": partnership, "territory": territories[objective["territory"]]},
            translated(objective, "text"),
        )


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
            "nature": item.get("nature", FundingLine.Nature.FINANCIAL),
        },
        {
            **translated(item, "in_kind_detail"),
            "amount": item["amount"],
            "spent": item.get("spent"),
            "spent_illustrative": item.get("spent_illustrative", False),
            "currency": item["currency"],
            "period_end": item["period_end"],
            "status": item["status"],
            "order": order,
            "illustrative": item.get("illustrative", False),
        },
    )


def _load_contact(item: Table, organisations: Mapping[str, Organisation]) -> None:
    upsert(
        Contact,
        {"organisation": organisations[item["organisation"]], "full_name": item["full_name"]},
        {
            **translated(item, "job_title"),
            "email": item.get("email", ""),
            "phone": item.get("phone", ""),
            "public": item.get("public", False),
            "order": item.get("order", 0),
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
            # An address of a reserved domain (example.org): the password reset and the
            # notices can be tried in the demo, printed by `make run`'s console backend.
            "email": item.get("email", ""),
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
