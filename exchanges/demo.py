"""Demo data of the exchanges app (fixtures/exchanges.toml): kinds of establishment,
establishments, exchanges and their cross views; then fixtures/outcomes.toml: the changes each
territory made (they name the exchanges, so they come after them) and the yearly stages of the
lines of action (observatory's rows, loaded by observatory.demo.load_work_track_stages).

Needs the partners and observatory demo data to be loaded first. An exchange is found again
by (partnership, title_fr, start_date); an establishment by (territory, name_fr); a change by
(territory, title_fr).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F

from core.toml import Table, by_slug, read_toml, translated, upsert
from observatory.demo import (
    find_questioning,
    find_recommendation,
    find_work_track,
    load_work_track_stages,
)
from observatory.models import Strand
from partners.models import Partnership, Territory

from .models import CrossView, Establishment, EstablishmentKind, Exchange, PolicyChange


@dataclass(frozen=True)
class References:
    """What the rows of exchanges.toml refer to, by slug (establishments by their file key)."""

    partnership: Partnership
    territories: Mapping[str, Territory]
    strands: Mapping[str, Strand]
    establishments: dict[str, Establishment]
    illustrative: bool = False  # every exchange of the file is the demo's (`illustrative`)


def load(path: Path) -> None:
    data = read_toml(path)
    partnership = Partnership.objects.get(slug=data["partnership"])
    refs = References(
        partnership=partnership,
        territories=by_slug(Territory),
        strands={strand.slug: strand for strand in partnership.strands.all()},
        establishments={},
        illustrative=data.get("illustrative", False),
    )
    kinds = {item["slug"]: _load_kind(item) for item in data["establishment_kinds"]}
    for item in data["establishments"]:
        refs.establishments[item["key"]] = _load_establishment(item, refs, kinds)
    for item in data["exchanges"]:
        _load_exchange(item, refs)
    # The programme's later years, each in a file of its own beside this one.
    for extra in sorted(path.parent.glob(f"{path.stem}-*.toml")):
        for item in read_toml(extra).get("exchanges", []):
            _load_exchange(item, refs)
    _load_changes_and_stages(path.parent / "outcomes.toml", refs)


def _load_changes_and_stages(path: Path, refs: References) -> None:
    """The changes on the territories and the lines of action's stages, all illustrative."""
    if not path.exists():
        return
    data = read_toml(path)
    users = get_user_model()._default_manager
    authors = {slug: users.get_by_natural_key(name) for slug, name in data["created_by"].items()}
    for item in data["changes"]:
        _load_change(item, refs, authors)
    load_work_track_stages(refs.partnership, data["work_track_stages"])


def _load_change(item: Table, refs: References, authors: Mapping[str, AbstractBaseUser]) -> None:
    partnership = refs.partnership
    texts = translated(item, "title", "description")
    territory = refs.territories[item["territory"]]
    change, _ = upsert(
        PolicyChange,
        {"partnership": partnership, "territory": territory, "title_fr": texts["title_fr"]},
        {
            **texts,
            "date": item["date"],
            "stage": item["stage"],
            "origin": item["origin"],
            "decision_reference": item.get("decision_reference", ""),
            "people_reached": item.get("people_reached"),
            "illustrative": True,
            "created_by": authors[item["territory"]],
        },
    )
    change.questionings.set(
        [find_questioning(partnership, q) for q in item.get("questionings", [])]
    )
    change.work_tracks.set(
        [find_work_track(partnership, ref) for ref in item.get("work_tracks", [])]
    )
    change.exchanges.set(
        Exchange.objects.active().filter(
            partnership=partnership, start_date__in=item.get("exchanges", [])
        )
    )


def _load_kind(item: Table) -> EstablishmentKind:
    kind, _ = upsert(
        EstablishmentKind,
        {"slug": item["slug"]},
        {**translated(item, "name"), "order": item["order"]},
    )
    return kind


def _load_establishment(
    item: Table, refs: References, kinds: Mapping[str, EstablishmentKind]
) -> Establishment:
    territory = refs.territories[item["territory"]]
    names = translated(item, "name")
    establishment, _ = upsert(
        Establishment,
        {"territory": territory, "name_fr": names["name_fr"]},
        {**names, "kind": kinds[item["kind"]], "town": item.get("town", "")},
    )
    establishment.strands.set([refs.strands[slug] for slug in item.get("strands", [])])
    return establishment


def _load_exchange(item: Table, refs: References) -> None:
    texts = translated(item, "title", "summary", "follow_up")
    visiting = item.get("visiting_territory")
    exchange, outcome = upsert(
        Exchange,
        {
            "partnership": refs.partnership,
            "title_fr": texts["title_fr"],
            "start_date": item["start_date"],
        },
        {
            **texts,
            "kind": item["kind"],
            "end_date": item["end_date"],
            "place": item.get("place", ""),
            "host_territory": refs.territories[item["host_territory"]],
            "visiting_territory": refs.territories[visiting] if visiting else None,
            "elected_officials_count": item.get("elected_officials_count", 0),
            "technical_staff_count": item.get("technical_staff_count", 0),
            "professionals_met_count": item.get("professionals_met_count", 0),
            "created_by": _user(item["created_by"]),
            "illustrative": item.get("illustrative", refs.illustrative),
        },
    )
    if outcome == "updated":
        _bump_version(Exchange, exchange.pk)
    exchange.strands.set([refs.strands[slug] for slug in item.get("strands", [])])
    exchange.questionings.set(
        [find_questioning(refs.partnership, ref) for ref in item.get("questionings", [])]
    )
    exchange.recommendations.set(
        [find_recommendation(ref) for ref in item.get("recommendations", [])]
    )
    exchange.establishments.set(
        [refs.establishments[key] for key in item.get("establishments", [])]
    )
    for view in item.get("cross_views", []):
        _load_cross_view(exchange, view, refs)


def _load_cross_view(exchange: Exchange, item: Table, refs: References) -> None:
    cross_view, outcome = upsert(
        CrossView,
        {"exchange": exchange, "territory": refs.territories[item["territory"]]},
        translated(item, "text"),
    )
    if outcome == "updated":
        _bump_version(CrossView, cross_view.pk)


def _bump_version(model: type[Exchange] | type[CrossView], pk: int) -> None:
    """A row the loader changed gets a new version, so a form opened before the load is
    refused by the optimistic lock instead of silently overwriting the demo data."""
    model.objects.filter(pk=pk).update(version=F("version") + 1)


def _user(username: str) -> AbstractBaseUser:
    return get_user_model()._default_manager.get_by_natural_key(username)
