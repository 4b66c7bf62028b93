"""The reciprocity index of a partnership's year: how much the cross view went both ways.

Pure arithmetic on counts (`YearFacts`), so that it can be reasoned about and tested on its
own; `exchanges.change_selectors.year_facts` reads the counts from the data. The definition, the
weights and their reasons, the limits and a worked example: docs/reciprocity.md.

Each part is a number in [0, 1], or None when the year gives it nothing to measure (nobody
travelled, no line of action moved…); the index is the weighted mean of the parts that can be
measured, None if none can. Every part is symmetric in the territories, so swapping them
leaves the index unchanged."""

from collections.abc import Sequence
from dataclasses import dataclass

#: The parts, in the order they are shown, and their weight in the index.
WEIGHTS: dict[str, float] = {
    "delegations": 0.25,
    "both_views": 0.25,
    "changes": 0.25,
    "work_tracks": 0.25,
}


@dataclass(frozen=True)
class YearFacts:
    """What a year's reciprocity is computed from, each tuple in the partnership's territories'
    order (the carrier's first)."""

    delegations: tuple[int, ...]  # delegations each territory sent to another one
    exchanges: int  # the year's exchanges (active)
    both_views: int  # of which carry the views of both sides
    changes: tuple[int, ...]  # changes each territory made thanks to the other (or together)
    moving: tuple[int, ...]  # lines of action of each territory whose stage went up

    def swapped(self) -> "YearFacts":
        return YearFacts(
            delegations=self.delegations[::-1],
            exchanges=self.exchanges,
            both_views=self.both_views,
            changes=self.changes[::-1],
            moving=self.moving[::-1],
        )


@dataclass(frozen=True)
class Part:
    key: str
    value: float | None  # None: nothing to measure this year
    weight: float
    counts: tuple[int, ...]  # what it was computed from, shown beside it


@dataclass(frozen=True)
class Reciprocity:
    index: float | None
    parts: list[Part]


def balance(counts: Sequence[int]) -> float | None:
    """1 when every territory did as much as the others, 0 when one did nothing while another
    did something: the smallest count over the mean (n·min/sum). None when nobody did it."""
    total = sum(counts)
    if total == 0 or len(counts) < 2:
        return None
    return len(counts) * min(counts) / total


def share(part: int, whole: int) -> float | None:
    if whole <= 0:
        return None
    return min(part, whole) / whole


def reciprocity(facts: YearFacts) -> Reciprocity:
    values = {
        "delegations": (balance(facts.delegations), facts.delegations),
        "both_views": (
            share(facts.both_views, facts.exchanges),
            (facts.both_views, facts.exchanges),
        ),
        "changes": (balance(facts.changes), facts.changes),
        "work_tracks": (balance(facts.moving), facts.moving),
    }
    parts = [Part(key, value, WEIGHTS[key], counts) for key, (value, counts) in values.items()]
    measured = [part for part in parts if part.value is not None]
    weight = sum(part.weight for part in measured)
    if not measured or weight == 0:
        return Reciprocity(None, parts)
    index = sum(part.weight * part.value for part in measured) / weight  # type: ignore[operator]
    return Reciprocity(min(1.0, max(0.0, index)), parts)
