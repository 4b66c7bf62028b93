"""Reads of exchanges shared by the home page, the lists and the annual restitution."""

from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    Max,
    Min,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.http import QueryDict

from observatory.models import Questioning, Recommendation, Strand
from observatory.selectors import partnership_strands
from partners.caching import cached_at, cached_by_content
from partners.models import Partnership, Territory
from partners.selectors import partnership_territories

from .filters import ExchangeFilter
from .models import Attachment, CrossView, Establishment, Exchange


def exchanges_of(partnership: Partnership, year: int | None = None) -> QuerySet[Exchange]:
    exchanges = Exchange.objects.active().filter(partnership=partnership)
    if year is not None:
        exchanges = exchanges.filter(start_date__year=year)
    return exchanges


@cached_by_content
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


@cached_by_content
def key_figures(partnership: Partnership, year: int | None = None) -> KeyFigures:
    """The observatory's key figures, computed from the exchanges of a year (or of all years).
    Four queries whatever the number of exchanges: the exchanges read once, grouped by kind
    and direction with their sums; the establishments visited; the strands; the territories."""
    exchanges = exchanges_of(partnership, year)
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
    establishments_visited = visits.aggregate(n=Count("establishment", distinct=True))["n"]
    return KeyFigures(
        year=year,
        exchanges=sum(group[3] for group in groups),
        professionals_met=sum(group[4] for group in groups),
        elected_officials=sum(group[5] for group in groups),
        technical_staff=sum(group[6] for group in groups),
        establishments_visited=establishments_visited,
        by_strand=_count_by_strand(partnership, exchanges),
        by_kind=_count_by_kind(groups),
        by_direction=_count_by_direction(groups, partnership_territories(partnership)),
    )


def _count_by_strand(
    partnership: Partnership, exchanges: QuerySet[Exchange]
) -> list[tuple[Strand, int]]:
    """Each strand with its number of `exchanges`, counted from the links of those exchanges
    only (one link per exchange and strand), never from every exchange of the strand."""
    links = Exchange.strands.through.objects.filter(strand=OuterRef("pk"), exchange__in=exchanges)
    count = links.order_by().values("strand").annotate(n=Count("*")).values("n")
    strands = partnership.strands.annotate(exchange_count=Coalesce(Subquery(count), 0))
    return [(strand, strand.exchange_count) for strand in strands]


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


def exchange_detail(pk: int, version) -> tuple[Exchange, list[Territory]]:
    """One exchange with everything its page shows, and its partnership's territories, read
    once per `version` of the content (a soft delete is a change too): 8 queries, then none.
    Raises Exchange.DoesNotExist."""
    return cached_at(version, "exchange-detail", pk, compute=lambda: _with_relations(pk, version))


def _with_relations(pk: int, version) -> tuple[Exchange, list[Territory]]:
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
    exchange.partnership.content_version = version
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
