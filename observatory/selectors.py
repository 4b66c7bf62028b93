"""Reads of the observatory's reference data (paired questionings, strands)."""

from dataclasses import dataclass

from django.db.models import Prefetch

from partners.models import Partnership, Territory

from .models import CrossTheme, Questioning, Strand, SustainableDevelopmentGoal, Topic, WorkTrack


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
