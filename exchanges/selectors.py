"""Reads of exchanges shared by the home page, the lists and the annual restitution."""

from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    Max,
    Min,
    Prefetch,
    QuerySet,
    Sum,
)
from django.http import QueryDict

from core.caching import forget, remember
from observatory.models import Questioning, Recommendation, Strand
from observatory.selectors import partnership_strands
from partners.models import Partnership, Territory
from partners.selectors import partnership_territories

from .filters import ExchangeFilter
from .models import Attachment, CrossView, Establishment, Exchange


def exchanges_of(partnership: Partnership, year: int | None = None) -> QuerySet[Exchange]:
    exchanges = Exchange.objects.active().filter(partnership=partnership)
    if year is not None:
        exchanges = exchanges.filter(start_date__year=year)
    return exchanges


def exchange_years(partnership: Partnership) -> list[int]:
    """The years in which the partnership has exchanges, oldest first. Two queries that each
    read a few entries of the partnership's index, however many exchanges there are (a
    DISTINCT on the years would read all of them): the first and last dates, then whether
    each year between them has an exchange."""
    exchanges = exchanges_of(partnership).order_by()
    span = exchanges.aggregate(first=Min("start_date"), last=Max("start_date"))
    if span["first"] is None:
        return []
    years = range(span["first"].year, span["last"].year + 1)
    found = (
        Partnership.objects.filter(pk=partnership.pk)
        .order_by()
        .values(
            "pk", **{f"y{year}": Exists(exchanges.filter(start_date__year=year)) for year in years}
        )
        .get()
    )
    return [year for year in years if found[f"y{year}"]]


@dataclass(frozen=True)
class DirectionCount:
    """Exchanges in which the delegation of `visiting` went to `host` (local when None)."""

    visiting: Territory | None
    host: Territory
    count: int


@dataclass(frozen=True)
class KeyFigures:
    year: int | None
    exchanges: int
    professionals_met: int
    elected_officials: int
    technical_staff: int
    establishments_visited: int
    by_strand: list[tuple[Strand, int]]
    by_kind: list[tuple[str, int]]  # (translated kind label, count), in the kinds' order
    by_direction: list[DirectionCount]


@dataclass(frozen=True)
class Tallies:
    """What key figures count, by ids: kept in cache for a partnership and year."""

    groups: list[tuple]  # (kind, visiting id, host id, exchanges, professionals, elected, staff)
    establishments_visited: int
    by_strand: dict[int, int]  # strand id -> exchanges


def key_figures(
    partnership: Partnership, year: int | None = None, *, territories: list[Territory] | None = None
) -> KeyFigures:
    """The observatory's key figures, computed from the exchanges of a year (or of all years).
    The counting (three queries whatever the number of exchanges) is kept in cache until an
    exchange of that year changes (`forget_key_figures`); the strands and territories (unless
    given) they are shown with are read each time, so a renamed strand shows at once."""
    territories = territories or partnership_territories(partnership)
    tallies = remember(
        _tallies_key(partnership.pk, year), lambda: _tallies(exchanges_of(partnership, year))
    )
    groups = tallies.groups
    return KeyFigures(
        year=year,
        exchanges=sum(group[3] for group in groups),
        professionals_met=sum(group[4] for group in groups),
        elected_officials=sum(group[5] for group in groups),
        technical_staff=sum(group[6] for group in groups),
        establishments_visited=tallies.establishments_visited,
        by_strand=[
            (strand, tallies.by_strand.get(strand.pk, 0))
            for strand in partnership_strands(partnership)
        ],
        by_kind=_count_by_kind(groups),
        by_direction=_count_by_direction(groups, territories),
    )


def forget_key_figures(partnership_id: int, years: set[int]) -> None:
    """For the services that change exchanges: the figures of `years` and of all years."""
    forget(_tallies_key(partnership_id, year) for year in {None, *years})


def _tallies_key(partnership_id: int, year: int | None) -> str:
    return f"key-figures:{partnership_id}:{year or 'all'}"


def _tallies(exchanges: QuerySet[Exchange]) -> Tallies:
    groups = list(
        exchanges.order_by()
        .values_list("kind", "visiting_territory", "host_territory")
        .annotate(
            n=Count("pk"),
            professionals=Sum("professionals_met_count"),
            elected=Sum("elected_officials_count"),
            technical=Sum("technical_staff_count"),
        )
    )
    visits = Exchange.establishments.through.objects.filter(exchange__in=exchanges)
    # Each strand's exchanges, counted from the links of those exchanges only.
    links = Exchange.strands.through.objects.filter(exchange__in=exchanges).order_by()
    return Tallies(
        groups=groups,
        establishments_visited=visits.aggregate(n=Count("establishment", distinct=True))["n"],
        by_strand=dict(links.values_list("strand").annotate(n=Count("*"))),
    )


def _count_by_kind(groups: list[tuple]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for kind, _visiting, _host, n, *_sums in groups:
        counts[kind] = counts.get(kind, 0) + n
    return [(label, counts[kind]) for kind, label in Exchange.Kind.choices if kind in counts]


def _count_by_direction(groups: list[tuple], territories: list[Territory]) -> list[DirectionCount]:
    """Every direction between the partner territories (zero included, so the balance reads
    both ways), then the local exchanges of each territory."""
    counts: dict[tuple[int | None, int], int] = {}
    for _kind, visiting_id, host_id, n, *_sums in groups:
        key = (None if visiting_id == host_id else visiting_id, host_id)
        counts[key] = counts.get(key, 0) + n
    travels = [(v, h) for v in territories for h in territories if v != h]
    locals_ = [(None, h) for h in territories]
    return [
        DirectionCount(visiting, host, counts.get((visiting and visiting.pk, host.pk), 0))
        for visiting, host in travels + locals_
    ]


# The list page, the CSV export and (later) the annual restitution: one FilterSet, one query.


def exchange_filter(partnership: Partnership, params: QueryDict | None) -> ExchangeFilter:
    """The partnership's exchanges, filtered by the query string `params`. Invalid values are
    ignored by the query and reported in `filterset.errors`. Four queries to build the
    choices, then `filterset.qs` is the filtered exchanges with what a list row shows."""
    rows = exchanges_of(partnership).select_related("host_territory", "visiting_territory")
    return ExchangeFilter(
        params or None,
        queryset=rows.prefetch_related("strands"),
        territories=partnership_territories(partnership),
        strands=partnership_strands(partnership),
        years=exchange_years(partnership),
    )


def exchanges_for_export(filterset: ExchangeFilter) -> QuerySet[Exchange]:
    return filterset.qs.prefetch_related("establishments").order_by("-start_date", "-pk")


def exchange_detail(pk: int) -> tuple[Exchange, list[Territory]]:
    """One active exchange with everything its page shows, and its partnership's territories.
    Raises Exchange.DoesNotExist."""
    exchange = (
        Exchange.objects.active()
        .select_related(
            "partnership", "host_territory", "visiting_territory", "created_by", "updated_by"
        )
        .prefetch_related(
            "strands",
            Prefetch("establishments", queryset=Establishment.objects.select_related("territory")),
            Prefetch(
                "questionings", queryset=Questioning.objects.select_related("topic", "territory")
            ),
            Prefetch("recommendations", queryset=Recommendation.objects.select_related("group")),
            Prefetch(
                "cross_views", queryset=CrossView.objects.select_related("territory", "updated_by")
            ),
            Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")),
        )
        .get(pk=pk)
    )
    return exchange, partnership_territories(exchange.partnership)


@dataclass(frozen=True)
class CrossViewSide:
    """One territory's side of an exchange's cross view; `view` is None until it is written."""

    territory: Territory
    view: CrossView | None


def cross_view_sides(exchange: Exchange, territories: list[Territory]) -> list[CrossViewSide]:
    """Both sides next to each other, in the partnership's order (Savoie | Bignona)."""
    by_territory = {view.territory_id: view for view in exchange.cross_views.all()}
    return [CrossViewSide(territory, by_territory.get(territory.pk)) for territory in territories]
