"""Demo data of the outcomes app (fixtures/outcomes.toml): the changes each territory made and
the yearly stages of the lines of action, all marked illustrative. Needs the partners,
observatory and exchanges demo data first. A change is found again by (territory, title_fr);
a stage by (line of action, year)."""

from pathlib import Path

from django.contrib.auth import get_user_model

from core.toml import Table, by_slug, read_toml, translated, upsert
from exchanges.models import Exchange
from observatory.demo import find_questioning
from observatory.models import WorkTrack
from partners.models import Partnership, Territory

from .models import PolicyChange, WorkTrackProgress


def load(path: Path) -> None:
    data = read_toml(path)
    partnership = Partnership.objects.get(slug=data["partnership"])
    territories = by_slug(Territory)
    users = get_user_model()._default_manager
    authors = {slug: users.get_by_natural_key(name) for slug, name in data["created_by"].items()}
    for item in data["changes"]:
        _load_change(partnership, item, territories, authors)
    for item in data["work_track_stages"]:
        line = _line(partnership, item["line"])
        for year, stage in item["stages"].items():
            upsert(
                WorkTrackProgress,
                {"work_track": line, "year": int(year)},
                {"stage": stage, "illustrative": True},
            )


def _line(partnership: Partnership, ref: Table) -> WorkTrack:
    return WorkTrack.objects.get(questioning=find_questioning(partnership, ref))


def _load_change(partnership: Partnership, item: Table, territories, authors) -> None:
    texts = translated(item, "title", "description")
    territory = territories[item["territory"]]
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
    change.work_tracks.set([_line(partnership, ref) for ref in item.get("work_tracks", [])])
    change.exchanges.set(
        Exchange.objects.active().filter(
            partnership=partnership, start_date__in=item.get("exchanges", [])
        )
    )
