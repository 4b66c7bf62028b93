"""Results against the specific objectives: for each territory of a partnership, its own
objective (« pour la Savoie, envisager davantage d'implication citoyenne… ») and what the
year's data shows for it — the changes it recorded, where its lines of action stand, the
exchanges it hosted and the delegations it sent (read from the year's key figures, which count
a local exchange as hosted, not as a delegation sent). Computed, never typed; three queries
whatever the number of territories, changes, lines of action or exchanges."""

from dataclasses import dataclass, field

from django.utils.functional import Promise

from exchanges.change_selectors import changes_of
from exchanges.models import PolicyChange
from exchanges.selectors import KeyFigures
from observatory.models import WorkTrack, WorkTrackProgress
from partners.models import Partnership, SpecificObjective, Territory

StrOrPromise = str | Promise


@dataclass(frozen=True)
class StageCount:
    stage: str
    label: StrOrPromise  # lazy: one read serves the editions of both languages
    count: int


@dataclass
class ObjectiveResult:
    """One territory's objective and its year."""

    territory: Territory
    objective: SpecificObjective | None
    changes: list[PolicyChange] = field(default_factory=list)
    tracks: list[StageCount] = field(default_factory=list)
    tracks_illustrative: bool = False
    hosted: int = 0
    sent: int = 0
    exchanges_illustrative: bool = False

    @property
    def changes_illustrative(self) -> bool:
        return any(change.illustrative for change in self.changes)


def objective_results(
    partnership: Partnership, territories: list[Territory], year: int, figures: KeyFigures
) -> list[ObjectiveResult]:
    """Each territory's result of `year` (`figures`: the year's key figures), in the
    partnership's order (the carrier's first); [] when the partnership has no specific
    objective. Three queries."""
    objectives = {
        objective.territory_id: objective
        for objective in SpecificObjective.objects.filter(partnership=partnership)
    }
    if not objectives:
        return []
    results = {t.pk: ObjectiveResult(t, objectives.get(t.pk)) for t in territories}
    for change in changes_of(partnership).filter(date__year=year).order_by("date", "pk"):
        if change.territory_id in results:
            results[change.territory_id].changes.append(change)
    _count_tracks(partnership, year, results)
    for result in results.values():
        here = result.territory
        result.hosted = sum(d.count for d in figures.by_direction if d.host == here)
        result.sent = sum(d.count for d in figures.by_direction if d.visiting == here)
        result.exchanges_illustrative = figures.illustrative
    return list(results.values())


def _count_tracks(partnership: Partnership, year: int, results: dict[int, ObjectiveResult]) -> None:
    """Each line of action at its last stage recorded up to the end of `year` (a stage carries
    over the years without a row, as on the progress page), counted by stage."""
    rows = (
        WorkTrackProgress.objects.filter(
            work_track__questioning__topic__theme__partnership=partnership, year__lte=year
        )
        .order_by("work_track_id", "year")
        .values_list("work_track_id", "work_track__territory_id", "stage", "illustrative")
    )
    latest: dict[int, tuple[int, str, bool]] = {}
    for track_id, territory_id, stage, illustrative in rows:
        latest[track_id] = (territory_id, stage, illustrative)
    for result in results.values():
        mine = [(stage, flag) for t, stage, flag in latest.values() if t == result.territory.pk]
        result.tracks = [
            StageCount(stage, label, sum(1 for s, _f in mine if s == stage))
            for stage, label in WorkTrack.Status.choices
        ]
        result.tracks_illustrative = any(flag for _s, flag in mine)
