"""Reads of the changes on the territories and of the programme's years, shared by the change
pages, the progress page and (later) the restitution. Each reads every year at once: the
number of queries does not depend on the number of years, exchanges or changes. (The lines of
action's stages year by year: observatory.selectors.work_track_years.)"""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import ExtractYear

from core.caching import forget, remember
from observatory.selectors import TrackYear
from partners.models import Partnership, Territory
from partners.roles import in_partnerships_of

from .models import CrossView, PolicyChange
from .reciprocity import YearFacts
from .selectors import exchanges_of, partnership_scope


def visible_changes(user: User | AnonymousUser) -> QuerySet[PolicyChange]:
    """The changes a user reaches: those of their partnerships (all for administrators), so
    that another partnership's change is not found, like a guessed id."""
    return in_partnerships_of(user, PolicyChange.objects.all())


def changes_of(partnership: Partnership) -> QuerySet[PolicyChange]:
    return PolicyChange.objects.filter(partnership=partnership).select_related("territory")


# --- The facts of each year -------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeCount:
    territory_id: int
    year: int
    origin: str
    stage: str
    count: int


def change_counts(partnership: Partnership) -> list[ChangeCount]:
    """The partnership's changes counted by territory, year, origin and stage. One query."""
    rows = (
        PolicyChange.objects.filter(partnership=partnership)
        .annotate(year=ExtractYear("date"))
        .order_by()
        .values_list("territory_id", "year", "origin", "stage")
        .annotate(n=Count("pk"))
    )
    return [ChangeCount(*row) for row in rows]


def both_views_by_year(partnership: Partnership, territory_ids: list[int]) -> dict[int, int]:
    """The exchanges of each year that carry the views of (at least) two of the partnership's
    territories. One query (a fifth of a second at 50 000 exchanges), kept in cache until an
    exchange of the partnership changes or a side is written for the first time
    (`forget_both_views`)."""
    return remember(
        f"both-views:{partnership.pk}:{','.join(map(str, sorted(territory_ids)))}",
        lambda: _both_views_by_year(partnership, territory_ids),
        scopes=[partnership_scope(partnership.pk), _cross_views_scope(partnership.pk)],
    )


def forget_both_views(partnership_id: int) -> None:
    """For the service that writes a territory's side of an exchange."""
    forget([_cross_views_scope(partnership_id)])


def _cross_views_scope(partnership_id: int) -> str:
    return f"cross-views:{partnership_id}"


def _both_views_by_year(partnership: Partnership, territory_ids: list[int]) -> dict[int, int]:
    sides = (
        CrossView.objects.filter(exchange=OuterRef("pk"), territory_id__in=territory_ids)
        .order_by()
        .values("exchange")
        .annotate(n=Count("territory", distinct=True))
        .values("n")
    )
    wanted = min(2, len(territory_ids))
    rows = (
        exchanges_of(partnership)
        .annotate(
            sides=Subquery(sides, output_field=IntegerField()), year=ExtractYear("start_date")
        )
        .filter(sides__gte=wanted)
        .order_by()
        .values_list("year")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def delegations_by_year(partnership: Partnership) -> dict[int, dict[int, int]]:
    """{year: {territory id: delegations it sent to another territory}}. One query."""
    rows = (
        exchanges_of(partnership)
        .filter(visiting_territory__isnull=False)
        .exclude(visiting_territory=F("host_territory"))
        .annotate(year=ExtractYear("start_date"))
        .order_by()
        .values_list("year", "visiting_territory")
        .annotate(n=Count("pk"))
    )
    result: dict[int, dict[int, int]] = defaultdict(dict)
    for year, territory_id, n in rows:
        result[year][territory_id] = n
    return result


def year_facts(
    *,
    territories: list[Territory],
    exchanges_by_year: dict[int, int],
    delegations: dict[int, dict[int, int]],
    both_views: dict[int, int],
    changes: list[ChangeCount],
    tracks: dict[int, dict[int, TrackYear]],
) -> dict[int, YearFacts]:
    """The facts of each year of `exchanges_by_year`, from what the selectors above read."""
    thanks: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in changes:
        if row.origin in PolicyChange.THANKS_TO_THE_OTHER:
            thanks[row.year][row.territory_id] += row.count
    facts = {}
    for year, exchanges in exchanges_by_year.items():
        facts[year] = YearFacts(
            delegations=tuple(delegations.get(year, {}).get(t.pk, 0) for t in territories),
            exchanges=exchanges,
            both_views=both_views.get(year, 0),
            changes=tuple(thanks[year][t.pk] for t in territories),
            moving=tuple(tracks.get(year, {}).get(t.pk, TrackYear()).moving for t in territories),
        )
    return facts


def changes_with_links(
    partnership: Partnership, years: list[int] | None = None
) -> QuerySet[PolicyChange]:
    """The partnership's changes (of `years`), newest first, with their territory: for the
    pages that list them. One query."""
    changes = changes_of(partnership)
    if years is not None:
        changes = changes.filter(date__year__in=years)
    return changes
