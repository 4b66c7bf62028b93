"""The programme year by year (`/fr/progress/`): for every year with exchanges, the key figures,
the reciprocity index and its parts (docs/reciprocity.md), the changes each territory made,
its lines of action by stage and what changed since the year before; as a page with charts,
as JSON (`?format=json`) and as CSV (`?format=csv`).

Members of the partnership see every year; anonymous visitors the years whose restitution is
published. Everything is read for all years at once: a fixed number of queries, whatever the
number of years, exchanges or changes."""

import csv
import io
from dataclasses import dataclass, field

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.typography import typeset_text
from exchanges.change_selectors import (
    both_views_by_year,
    change_counts,
    changes_with_links,
    year_facts,
)
from exchanges.models import PolicyChange
from exchanges.reciprocity import WEIGHTS, Part, Reciprocity, YearFacts, reciprocity
from exchanges.selectors import KeyFigures, key_figures_of_years
from observatory.models import WorkTrack
from observatory.selectors import TrackYear, work_track_years
from partners.models import Partnership, Territory, territory_sentence
from partners.roles import is_member
from partners.selectors import default_partnership, partnership_of, partnership_territories

from .models import RestitutionVersion

PART_LABELS = {
    "delegations": gettext_lazy("Delegations each way"),
    "both_views": gettext_lazy("Exchanges carrying both sides' views"),
    "changes": gettext_lazy("Changes made thanks to the other, each side"),
    "work_tracks": gettext_lazy("Lines of action moving, each side"),
}


@dataclass
class Side:
    """One territory in one year."""

    territory: Territory
    delegations: int
    changes: list[PolicyChange]
    thanks_to_the_other: int
    tracks: TrackYear


@dataclass
class Difference:
    label: str
    now: float | int
    before: float | int | None

    @property
    def delta(self):
        if self.before is None:
            return None
        delta = self.now - self.before
        return round(delta, 2) if isinstance(delta, float) else delta


@dataclass
class ProgressYear:
    year: int
    published: bool
    figures: KeyFigures
    facts: YearFacts
    reciprocity: Reciprocity
    sides: list[Side]
    since: list[Difference] = field(default_factory=list)

    @property
    def index(self) -> float | None:
        value = self.reciprocity.index
        return None if value is None else round(value, 2)


@dataclass
class Programme:
    partnership: Partnership
    territories: list[Territory]
    years: list[ProgressYear]
    hidden_years: int  # years with exchanges not shown (unpublished, to anonymous visitors)


def published_years(partnership: Partnership) -> set[int]:
    """The years whose restitution has a published version. One query."""
    return set(
        partnership.restitutions.filter(versions__status=RestitutionVersion.Status.DONE)
        .values_list("year", flat=True)
        .distinct()
    )


def programme(partnership: Partnership, *, published_only: bool) -> Programme:
    territories = partnership_territories(partnership)
    ids = [territory.pk for territory in territories]
    figures = key_figures_of_years(partnership, territories)
    published = published_years(partnership)
    all_years = list(figures)
    shown = [year for year in all_years if year in published or not published_only]
    delegations = {
        year: {
            t.pk: sum(d.count for d in figures[year].by_direction if d.visiting == t)
            for t in territories
        }
        for year in shown
    }
    tracks = work_track_years(partnership, shown)
    facts = year_facts(
        territories=territories,
        exchanges_by_year={year: figures[year].exchanges for year in shown},
        delegations=delegations,
        both_views=both_views_by_year(partnership, ids) if shown else {},
        changes=change_counts(partnership) if shown else [],
        tracks=tracks,
    )
    by_side: dict[tuple[int, int], list[PolicyChange]] = {}
    for change in changes_with_links(partnership, shown) if shown else []:
        by_side.setdefault((change.date.year, change.territory_id), []).append(change)
    years = []
    for year in shown:
        sides = [
            Side(
                territory=t,
                delegations=delegations[year][t.pk],
                changes=by_side.get((year, t.pk), []),
                thanks_to_the_other=facts[year].changes[n],
                tracks=tracks[year].get(t.pk, TrackYear()),
            )
            for n, t in enumerate(territories)
        ]
        years.append(
            ProgressYear(
                year=year,
                published=year in published,
                figures=figures[year],
                facts=facts[year],
                reciprocity=reciprocity(facts[year]),
                sides=sides,
            )
        )
    for before, now in zip([None, *years], years, strict=False):
        now.since = _since(before, now) if before is not None else []
    return Programme(partnership, territories, years, len(all_years) - len(shown))


def _since(before: ProgressYear, now: ProgressYear) -> list[Difference]:
    """What changed since the year before shown: the figures an assembly asks about."""
    rows = [
        Difference(_("Reciprocity index"), now.index or 0, before.index),
        Difference(_("Exchanges"), now.figures.exchanges, before.figures.exchanges),
        Difference(
            _("Social professionals met"),
            now.figures.professionals_met,
            before.figures.professionals_met,
        ),
        Difference(
            _("Social establishments visited"),
            now.figures.establishments_visited,
            before.figures.establishments_visited,
        ),
    ]
    for side_now, side_before in zip(now.sides, before.sides, strict=True):
        rows.append(
            Difference(
                territory_sentence(
                    _("Changes recorded by %(territory)s"), territory=side_now.territory
                ),
                len(side_now.changes),
                len(side_before.changes),
            )
        )
    return rows


# --- Charts: inline SVG geometry, each with its sentence for screen readers ----------------

CHART_WIDTH = 360  # the viewBox: drawn at the page's width, readable at 360 px


@dataclass(frozen=True)
class Column:
    label: str
    value: float | None
    x: int
    y: int
    height: int
    text: str


def index_chart(years: list[ProgressYear]) -> dict:
    """The index of each year as columns on a 0–1 scale."""
    top, base = 24, 164
    span = base - top
    count = max(len(years), 1)
    slot = (CHART_WIDTH - 40) // count
    width = min(64, slot - 12)
    columns = []
    for n, year in enumerate(years):
        value = year.index
        height = round(span * (value or 0))
        columns.append(
            Column(
                label=str(year.year),
                value=value,
                x=40 + n * slot + (slot - width) // 2,
                y=base - height,
                height=height,
                text=_format_index(value),
            )
        )
    summary = "; ".join(f"{c.label}: {c.text}" for c in columns)
    return {
        "columns": columns,
        "bar_width": width,
        "base": base,
        "top": top,
        "middle": (top + base) // 2,
        "middle_label": number_format(0.5, 2),
        "width": CHART_WIDTH,
        "height": base + 24,
        "summary": typeset_text(
            _("Reciprocity index by year (0 = one way only, 1 = fully both ways): %(values)s.")
            % {"values": summary}
        ),
    }


@dataclass(frozen=True)
class PartBar:
    label: str
    value: float | None
    length: int
    y: int
    text: str


def parts_chart(reciprocity_: Reciprocity, counts: dict[str, str]) -> dict:
    """Each part as a bar on a 0–1 scale, its value and what it was counted from."""
    longest, row = CHART_WIDTH - 60, 46
    bars = [
        PartBar(
            label=str(PART_LABELS[part.key]),
            value=part.value,
            length=round(longest * (part.value or 0)),
            y=4 + n * row,
            text=f"{_format_index(part.value)} — {counts[part.key]}",
        )
        for n, part in enumerate(reciprocity_.parts)
    ]
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": 4 + len(bars) * row,
        "longest": longest,
        "summary": typeset_text("; ".join(f"{bar.label}: {bar.text}" for bar in bars)),
    }


def _format_index(value: float | None) -> str:
    if value is None:
        return _("nothing to measure")
    return number_format(value, 2)


def part_counts(year: ProgressYear, territories: list[Territory]) -> dict[str, str]:
    """Each part's counts as a sentence."""

    def each(values: tuple[int, ...]) -> str:
        return ", ".join(f"{t.name} {v}" for t, v in zip(territories, values, strict=True))

    facts = year.facts
    return {
        "delegations": _("delegations sent: %(counts)s") % {"counts": each(facts.delegations)},
        "both_views": _("%(both)s of %(all)s exchanges")
        % {"both": facts.both_views, "all": facts.exchanges},
        "changes": _("changes thanks to the other: %(counts)s") % {"counts": each(facts.changes)},
        "work_tracks": _("lines of action that moved: %(counts)s") % {"counts": each(facts.moving)},
    }


# --- The same figures as data -----------------------------------------------------------------


def _part_json(part: Part) -> dict:
    return {
        "value": None if part.value is None else round(part.value, 4),
        "weight": part.weight,
        "counts": list(part.counts),
    }


def as_json(data: Programme) -> dict:
    return {
        "partnership": data.partnership.name,
        "years": [
            {
                "year": year.year,
                "reciprocity_index": year.index,
                "parts": {part.key: _part_json(part) for part in year.reciprocity.parts},
                "key_figures": {
                    "exchanges": year.figures.exchanges,
                    "professionals_met": year.figures.professionals_met,
                    "elected_officials": year.figures.elected_officials,
                    "technical_staff": year.figures.technical_staff,
                    "establishments_visited": year.figures.establishments_visited,
                    "delegations": {side.territory.name: side.delegations for side in year.sides},
                },
                "changes": {side.territory.name: len(side.changes) for side in year.sides},
            }
            for year in data.years
        ],
    }


def as_csv(data: Programme) -> HttpResponse:
    """One row per year, `;`-separated UTF-8 with a BOM (as the exchanges' export)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(
        [
            _("year"),
            _("published"),
            _("reciprocity index"),
            *(str(PART_LABELS[key]) for key in WEIGHTS),
            _("exchanges"),
            _("professionals met"),
            _("establishments visited"),
            *(
                territory_sentence(message, territory=territory)
                for message in (
                    _("changes of %(territory)s"),
                    _("changes of %(territory)s thanks to the other"),
                    _("lines of action of %(territory)s that moved"),
                )
                for territory in data.territories
            ),
        ]
    )
    for year in data.years:
        writer.writerow(
            [
                year.year,
                "1" if year.published else "0",
                "" if year.index is None else f"{year.index:.2f}",
                *("" if p.value is None else f"{p.value:.2f}" for p in year.reciprocity.parts),
                year.figures.exchanges,
                year.figures.professionals_met,
                year.figures.establishments_visited,
                *(len(side.changes) for side in year.sides),
                *(side.thanks_to_the_other for side in year.sides),
                *(side.tracks.moving for side in year.sides),
            ]
        )
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="progress.csv"'
    return response


# --- The page -----------------------------------------------------------------------------------


def progress(request):
    """Open to everyone: members see every year of their partnership, anonymous visitors the
    published years of the first one."""
    user = request.user
    member = is_member(user)
    partnership = partnership_of(user) if member else default_partnership()
    if partnership is None:
        raise Http404
    data = programme(partnership, published_only=not member)
    wanted = request.GET.get("format")
    if wanted == "json":
        return JsonResponse(as_json(data), json_dumps_params={"ensure_ascii": False})
    if wanted == "csv":
        return as_csv(data)
    stages = [(value, label) for value, label in WorkTrack.Status.choices]
    years = [
        {
            "year": year,
            "parts": parts_chart(year.reciprocity, part_counts(year, data.territories)),
            "stages": [
                (
                    side,
                    [(label, side.tracks.by_stage.get(value, 0)) for value, label in stages],
                )
                for side in year.sides
            ],
        }
        for year in data.years
    ]
    context = {
        "programme": data,
        "years": years,
        "index_chart": index_chart(data.years),
        "member": member,
    }
    return render(request, "reporting/progress.html", context)
