"""Reads of the observatory's reference data (paired questionings, strands)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from partners.models import Partnership, Territory

from .models import (
    CrossTheme,
    Questioning,
    Strand,
    SustainableDevelopmentGoal,
    Topic,
    WorkTrack,
    WorkTrackProgress,
)


def partnership_strands(partnership: Partnership) -> list[Strand]:
    return list(partnership.strands.all())


def partnership_sdgs(partnership: Partnership) -> list[SustainableDevelopmentGoal]:
    return list(partnership.sdgs.all())


@dataclass(frozen=True)
class PairedRow:
    """One topic with its questionings, one cell per territory (None where a side is empty)."""

    topic: Topic
    cells: list[Questioning | None]
    territories: tuple[Territory, ...]  # the cells' territories, in the same order

    @property
    def sides(self) -> list[tuple[Territory, Questioning | None]]:
        """Each cell with its territory: a phone, where the table stacks, names each side."""
        return list(zip(self.territories, self.cells, strict=True))


@dataclass(frozen=True)
class ThemeTable:
    theme: CrossTheme
    rows: list[PairedRow]


def paired_questionings(partnership: Partnership, territories: list[Territory]) -> list[ThemeTable]:
    """The paired table of the source document: cross theme -> topic -> one question per
    territory, in the given territory order, with each questioning's work tracks."""
    questionings = Questioning.objects.select_related("territory").prefetch_related(
        Prefetch("work_tracks", queryset=WorkTrack.objects.select_related("territory"))
    )
    themes = partnership.cross_themes.prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("order", "pk")),
        Prefetch("topics__questionings", queryset=questionings),
    )
    return [
        ThemeTable(
            theme=theme,
            rows=[_paired_row(topic, territories) for topic in theme.topics.all()],
        )
        for theme in themes
    ]


def _paired_row(topic: Topic, territories: list[Territory]) -> PairedRow:
    by_territory = {q.territory_id: q for q in topic.questionings.all()}
    return PairedRow(
        topic=topic,
        cells=[by_territory.get(t.pk) for t in territories],
        territories=tuple(territories),
    )


# --- The lines of action, year by year ------------------------------------------------------

STAGE_RANK = {stage: rank for rank, stage in enumerate(WorkTrack.Status.values)}


@dataclass
class TrackYear:
    """Where a territory's lines of action stood at the end of a year."""

    by_stage: dict[str, int] = field(default_factory=dict)  # stage -> lines
    moving: int = 0  # lines whose stage went up that year


def work_track_years(partnership: Partnership, years: list[int]) -> dict[int, dict[int, TrackYear]]:
    """{year: {territory id: TrackYear}} for `years`. A line's stage carries over the years
    without a row; it moves in a year whose row ranks above its stage before (planned when it
    had none). One query."""
    rows = (
        WorkTrackProgress.objects.filter(
            work_track__questioning__topic__theme__partnership=partnership
        )
        .order_by("work_track_id", "year")
        .values_list("work_track_id", "work_track__territory_id", "year", "stage")
    )
    history: dict[int, list[tuple[int, str]]] = defaultdict(list)
    territory_of_track: dict[int, int] = {}
    for track_id, territory_id, year, stage in rows:
        history[track_id].append((year, stage))
        territory_of_track[track_id] = territory_id
    result: dict[int, dict[int, TrackYear]] = {year: defaultdict(TrackYear) for year in years}
    for track_id, steps in history.items():
        territory_id = territory_of_track[track_id]
        for year in years:
            before = [stage for y, stage in steps if y < year]
            now = [stage for y, stage in steps if y == year]
            latest = now[-1] if now else (before[-1] if before else None)
            if latest is None:
                continue
            tally = result[year][territory_id]
            tally.by_stage[latest] = tally.by_stage.get(latest, 0) + 1
            previous = STAGE_RANK[before[-1]] if before else 0
            if now and STAGE_RANK[now[-1]] > previous:
                tally.moving += 1
    return result
