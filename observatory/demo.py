"""Demo data of the observatory app (fixtures/observatory.toml): strands, recommendations,
SDGs, lessons, cross themes with their paired questionings, and work tracks.

Needs the partners demo data (the partnership and its territories) to be loaded first.
"""

from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from core.toml import Table, by_slug, read_toml, translated, upsert
from partners.models import Partnership, Territory

from .models import (
    CrossTheme,
    Lesson,
    Questioning,
    Recommendation,
    RecommendationGroup,
    Strand,
    SustainableDevelopmentGoal,
    Topic,
    WorkTrack,
    WorkTrackProgress,
)


def load(path: Path) -> None:
    data = read_toml(path)
    partnership = Partnership.objects.get(slug=data["partnership"])
    territories = by_slug(Territory)
    for order, item in enumerate(data["strands"], start=1):
        _load_strand(partnership, item, order)
    for order, item in enumerate(data["recommendation_groups"], start=1):
        _load_recommendation_group(item, order)
    for item in data["sdgs"]:
        _load_sdg(item)
    _load_lessons(partnership, data["lessons"])
    for order, item in enumerate(data["cross_themes"], start=1):
        _load_cross_theme(partnership, item, order, territories)
    illustrative = data.get("work_tracks_illustrative", False)
    for item in data["work_tracks"]:
        _load_work_track(partnership, {"illustrative": illustrative, **item})


# --- References used by other demo files (exchanges.toml) -------------------------------


def find_questioning(partnership: Partnership, ref: Table) -> Questioning:
    """The questioning named `{ theme = …, topic = …, territory = … }` (slugs)."""
    return Questioning.objects.get(
        topic__theme__partnership=partnership,
        topic__theme__slug=ref["theme"],
        topic__slug=ref["topic"],
        territory__slug=ref["territory"],
    )


def find_work_track(partnership: Partnership, ref: Table) -> WorkTrack:
    """The line of action named by its questioning and, where the questioning has lines for
    several years, by `year` (its first line when the reference names none)."""
    lines = WorkTrack.objects.filter(questioning=find_questioning(partnership, ref))
    if "year" in ref:
        lines = lines.filter(year=ref["year"])
    return lines.order_by("year", "pk")[:1].get()


def load_work_track_stages(partnership: Partnership, items: list[Table]) -> None:
    """Where each line of action stood at the end of each year (`stages = { 2017 = … }`), all
    illustrative; a stage is found again by (line of action, year). Read from
    fixtures/outcomes.toml by exchanges/demo.py, beside the changes that name these lines."""
    for item in items:
        line = find_work_track(partnership, item["line"])
        for year, stage in item["stages"].items():
            upsert(
                WorkTrackProgress,
                {"work_track": line, "year": int(year)},
                {"stage": stage, "illustrative": True},
            )


def find_recommendation(ref: Table) -> Recommendation:
    """The recommendation named `{ group = …, order = … }` (its position in the group)."""
    return Recommendation.objects.get(group__slug=ref["group"], order=ref["order"])


# --- Loaders ----------------------------------------------------------------------------


def _load_strand(partnership: Partnership, item: Table, order: int) -> None:
    upsert(
        Strand,
        {"partnership": partnership, "slug": item["slug"]},
        {**translated(item, "name", "short_name"), "order": order},
    )


def _load_recommendation_group(item: Table, order: int) -> None:
    group, _ = upsert(
        RecommendationGroup,
        {"slug": item["slug"]},
        {**translated(item, "name"), "order": order},
    )
    group.partnerships.set(Partnership.objects.filter(slug__in=item.get("partnerships", [])))
    for position, recommendation in enumerate(item.get("recommendations", []), start=1):
        upsert(
            Recommendation,
            {"group": group, "order": position},
            translated(recommendation, "text"),
        )


def _load_sdg(item: Table) -> None:
    sdg, _ = upsert(
        SustainableDevelopmentGoal, {"number": item["number"]}, translated(item, "name")
    )
    sdg.partnerships.set(Partnership.objects.filter(slug__in=item.get("partnerships", [])))


def _load_lessons(partnership: Partnership, items: list[Table]) -> None:
    """Lessons are numbered within their kind, in the order of the file."""
    positions: Counter[str] = Counter()
    for item in items:
        positions[item["kind"]] += 1
        upsert(
            Lesson,
            {"partnership": partnership, "kind": item["kind"], "order": positions[item["kind"]]},
            {**translated(item, "title", "body"), "year": item.get("year")},
        )
    # A lesson the file no longer has (merged into another) is not left behind.
    for kind, count in positions.items():
        Lesson.objects.filter(partnership=partnership, kind=kind, order__gt=count).delete()


def _load_cross_theme(
    partnership: Partnership, item: Table, order: int, territories: Mapping[str, Territory]
) -> None:
    theme, _ = upsert(
        CrossTheme,
        {"partnership": partnership, "slug": item["slug"]},
        {**translated(item, "name"), "order": order},
    )
    for position, topic_item in enumerate(item.get("topics", []), start=1):
        topic, _ = upsert(
            Topic,
            {"theme": theme, "slug": topic_item["slug"]},
            {**translated(topic_item, "name"), "order": position},
        )
        for territory_slug, questioning in topic_item.get("questionings", {}).items():
            upsert(
                Questioning,
                {"topic": topic, "territory": territories[territory_slug]},
                translated(questioning, "question"),
            )


def _load_work_track(partnership: Partnership, item: Table) -> None:
    questioning = find_questioning(partnership, item["questioning"])
    upsert(
        WorkTrack,
        {"questioning": questioning, "year": item["year"]},
        {
            **translated(item, "title", "description"),
            "territory": questioning.territory,
            "status": item["status"],
            "illustrative": item.get("illustrative", False),
        },
    )
