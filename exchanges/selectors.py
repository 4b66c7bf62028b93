"""Reads of exchanges shared by the home page, the lists and the annual restitution."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import ExtractYear
from django.http import QueryDict
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from core.caching import forget, remember
from core.history import (
    BASELINE,
    HistoricalRow,
    HistoryEntry,
    describe,
    m2m_links,
    related_names,
)
from observatory.models import Questioning, Recommendation, Strand
from observatory.selectors import partnership_strands
from partners.models import Partnership, Territory
from partners.roles import in_partnerships_of
from partners.selectors import partnership_territories, territory_cache_scope

from .apps import EXCHANGE_LINKS
from .filters import ExchangeFilter
from .models import Attachment, CrossView, Establishment, Exchange

# Typing notes. `Exchange.objects` is modeltranslation's manager, built at run time, which the
# type checker knows as an unknown manager: what its own methods (`active()`) return is Any
# until it is given a name of a known type (`exchanges: QuerySet[Exchange] = ...`). Likewise
# `Model.history` (simple-history) and the through models of the audited many-to-many fields
# are added at run time: each use says so.

#: One row of the key figures' counting: (kind, visiting id, host id, exchanges,
#: professionals, elected, staff); Any: values_list() rows with annotations, of mixed types.
Group = tuple[Any, ...]


def visible_exchanges(user: User | AnonymousUser) -> QuerySet[Exchange]:
    """The active exchanges a user reaches: those of their partnerships (all for
    administrators). Every page and action on one exchange reads it through here, so that
    another partnership's exchange is not found, like a guessed id."""
    return in_partnerships_of(user, Exchange.objects.active())


def visible_attachments(user: User | AnonymousUser) -> QuerySet[Attachment]:
    """The files of the exchanges a user reaches (`visible_exchanges`)."""
    attachments = Attachment.objects.filter(exchange__deleted_at__isnull=True)
    return in_partnerships_of(user, attachments, path="exchange__partnership")


def exchanges_of(partnership: Partnership, year: int | None = None) -> QuerySet[Exchange]:
    exchanges: QuerySet[Exchange] = Exchange.objects.active().filter(partnership=partnership)
    if year is not None:
        exchanges = exchanges.filter(start_date__year=year)
    return exchanges


def exchange_years(partnership: Partnership) -> list[int]:
    """The years in which the partnership has exchanges, oldest first. One query whose cost
    does not depend on the dates in the table: a "loose index scan" (a recursive query that
    asks the partnership's index for the first exchange of the year, then for the first one
    on or after the next 1 January, and so on) reads one index entry per year that has
    exchanges. A DISTINCT on the years would read every exchange; one test per year between
    the first and the last would build thousands for a legacy row dated year 1."""
    table = connection.ops.quote_name(Exchange._meta.db_table)
    if connection.vendor == "postgresql":
        next_year = "(date_trunc('year', y.day) + interval '1 year')::date"
        more = "y.day IS NOT NULL"
    else:  # SQLite keeps dates as 'YYYY-MM-DD' text; year 9999 is the last it can write
        next_year = "printf('%%04d-01-01', CAST(substr(y.day, 1, 4) AS integer) + 1)"
        more = "y.day IS NOT NULL AND y.day < '9999-01-01'"
    active = "e.partnership_id = %s AND e.deleted_at IS NULL"
    # The table and the SQL fragments are this module's own; the values are parameters.
    sql = f"""
        WITH RECURSIVE years (day) AS (
            SELECT MIN(e.start_date) FROM {table} e WHERE {active}
            UNION ALL
            SELECT (
                SELECT MIN(e.start_date) FROM {table} e
                WHERE {active} AND e.start_date >= {next_year}
            )
            FROM years y WHERE {more}
        )
        SELECT day FROM years WHERE day IS NOT NULL ORDER BY day
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [partnership.pk, partnership.pk])
        days = [row[0] for row in cursor.fetchall()]
    return [day.year if isinstance(day, date) else int(day[:4]) for day in days]


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
    by_kind: list[tuple[StrOrPromise, int]]  # (translated kind label, count), in the kinds' order
    by_direction: list[DirectionCount]
    illustrative: bool = False  # some of the exchanges counted are illustrative


@dataclass(frozen=True)
class Tallies:
    """What key figures count, by ids: kept in cache for a partnership and year."""

    groups: list[Group]  # (kind, visiting id, host id, exchanges, professionals, elected, staff)
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
        f"key-figures:{partnership.pk}:{year or 'all'}",
        lambda: _tallies(exchanges_of(partnership, year)),
        scopes=[partnership_scope(partnership.pk)],
    )
    return _figures(year, tallies, partnership_strands(partnership), territories)


def _figures(
    year: int | None, tallies: Tallies, strands: list[Strand], territories: list[Territory]
) -> KeyFigures:
    groups = tallies.groups
    return KeyFigures(
        year=year,
        exchanges=sum(group[3] for group in groups),
        professionals_met=sum(group[4] or 0 for group in groups),
        elected_officials=sum(group[5] or 0 for group in groups),
        technical_staff=sum(group[6] or 0 for group in groups),
        establishments_visited=tallies.establishments_visited,
        by_strand=[(strand, tallies.by_strand.get(strand.pk, 0)) for strand in strands],
        by_kind=_count_by_kind(groups),
        by_direction=_count_by_direction(groups, territories),
        # Counted from exchanges invented for a demonstration: pages mark the counts so.
        illustrative=any(len(group) > 7 and group[7] for group in groups),
    )


def forget_key_figures(partnership_id: int, years: set[int]) -> None:
    """For the services that change exchanges: the partnership's figures of every year go, not
    only those of `years` (the years the change touched), since the figures of all years change
    too and one generation a partnership is what a reader can read before it counts. Other
    years are counted again: three indexed queries each, after a change that is rare."""
    forget([partnership_scope(partnership_id)])


def partnership_scope(partnership_id: int) -> str:
    return f"partnership:{partnership_id}"


def _tallies(exchanges: QuerySet[Exchange]) -> Tallies:
    groups = list(
        exchanges.order_by()
        .values_list("kind", "visiting_territory", "host_territory")
        .annotate(
            n=Count("pk"),
            professionals=Sum("professionals_met_count"),
            elected=Sum("elected_officials_count"),
            technical=Sum("technical_staff_count"),
            illustrative=Count("pk", filter=Q(illustrative=True)),
        )
    )
    visits = Exchange.establishments.through.objects.filter(  # type: ignore[attr-defined]
        exchange__in=exchanges  # (the through model is unknown to the plugin: see above)
    )
    # Each strand's exchanges, counted from the links of those exchanges only.
    links = Exchange.strands.through.objects.filter(exchange__in=exchanges).order_by()
    return Tallies(
        groups=groups,
        establishments_visited=visits.aggregate(n=Count("establishment", distinct=True))["n"],
        by_strand=dict(links.values_list("strand").annotate(n=Count("*"))),
    )


def _count_by_kind(groups: list[Group]) -> list[tuple[StrOrPromise, int]]:
    counts: dict[str, int] = {}
    for kind, _visiting, _host, n, *_sums in groups:
        counts[kind] = counts.get(kind, 0) + n
    return [(label, counts[kind]) for kind, label in Exchange.Kind.choices if kind in counts]


def _count_by_direction(groups: list[Group], territories: list[Territory]) -> list[DirectionCount]:
    """Every direction between the partner territories (zero included, so the balance reads
    both ways), then the local exchanges of each territory."""
    counts: dict[tuple[int | None, int], int] = {}
    for _kind, visiting_id, host_id, n, *_sums in groups:
        key = (None if visiting_id == host_id else visiting_id, host_id)
        counts[key] = counts.get(key, 0) + n
    travels = [(v, h) for v in territories for h in territories if v != h]
    locals_ = [(None, h) for h in territories]
    return [
        DirectionCount(visiting, host, counts.get((visiting.pk if visiting else None, host.pk), 0))
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


def exchanges_to_write(territory: Territory) -> QuerySet[Exchange]:
    """What `territory`'s officers still have to write: the active exchanges of its
    partnerships without its cross view, newest first (the `exchange_active_newest_first`
    index walked, each exchange checked against the cross views' unique index)."""
    written = CrossView.objects.filter(exchange=OuterRef("pk"), territory=territory)
    its_partnerships = Partnership.territories.through.objects.filter(territory=territory)
    exchanges: QuerySet[Exchange] = (
        Exchange.objects.active()
        .filter(partnership__in=its_partnerships.values("partnership_id"))
        .exclude(Exists(written))
        .select_related("host_territory", "visiting_territory")
        .order_by("-start_date", "-pk")
    )
    return exchanges


#: The navigation counts this many at most ("99+"): the count stops reading there.
TO_WRITE_COUNT_LIMIT = 99


def to_write_count(territory: Territory) -> int:
    """For the navigation: `TO_WRITE_COUNT_LIMIT + 1` at most. Every page an officer opens
    shows it, and it changes only when an exchange of the territory's partnerships is logged,
    deleted or brought back, or when one of its cross views is written: kept in cache until
    those services forget it (`forget_to_write`). One query when it is not kept."""
    return remember(
        f"to-write:{territory.pk}",
        lambda: exchanges_to_write(territory).order_by()[: TO_WRITE_COUNT_LIMIT + 1].count(),
        scopes=[territory_cache_scope(territory.pk)],
    )


def forget_to_write(territory_ids: Iterable[int]) -> None:
    """For the services that change what `to_write_count` counts."""
    forget(territory_cache_scope(pk) for pk in territory_ids)


def exchanges_for_export(filterset: ExchangeFilter) -> QuerySet[Exchange]:
    """The filtered exchanges with their establishments, cross views and questionings: three
    queries more than the list for each chunk the export reads (exchanges/export.py)."""
    exchanges: QuerySet[Exchange] = filterset.qs.prefetch_related(  # django-filter: untyped
        "establishments",
        Prefetch("cross_views", queryset=CrossView.objects.order_by()),
        Prefetch("questionings", queryset=Questioning.objects.select_related("topic", "territory")),
    ).order_by("-start_date", "-pk")
    return exchanges


def exchange_detail(pk: int, *, user: User | AnonymousUser) -> tuple[Exchange, list[Territory]]:
    """One exchange the user reaches (`visible_exchanges`) with everything its page shows, and
    its partnership's territories. Raises Exchange.DoesNotExist."""
    exchange = (
        visible_exchanges(user)
        .select_related(
            "partnership", "host_territory", "visiting_territory", "created_by", "updated_by"
        )
        .prefetch_related(
            "strands",
            Prefetch(
                "establishments",
                queryset=Establishment.objects.select_related("territory", "kind"),
            ),
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


# ---- the history of an exchange -------------------------------------------------------------


def _imported_label(name: str) -> str:
    """The field names the former history (ExchangeChange) wrote: `cross_view:bignona:text_fr`
    -> "cross view of bignona [fr]", `attachments`."""
    if name.startswith("cross_view:"):
        _prefix, territory, field = name.split(":", 2)
        return _("cross view of %(territory)s [%(language)s]") % {
            "territory": territory,
            "language": field.rpartition("_")[2],
        }
    if name == "attachments":
        return str(_("attachments"))
    return ""


def exchange_history(exchange: Exchange) -> list[HistoryEntry]:
    """Who changed which field of the exchange, of its cross views and attachments, when, with
    the values before and after; newest first. A fixed number of queries however long it is:
    the rows of the three histories, the links of the exchange's rows (one per kind of link)
    and the names they point to (one per model)."""
    exchange_rows = list(
        Exchange.history.filter(id=exchange.pk)  # type: ignore[attr-defined]  # simple-history's
        .select_related("history_user")
        .order_by()
    )
    views = list(
        CrossView.history.filter(exchange_id=exchange.pk).select_related("history_user")  # type: ignore[attr-defined]  # idem
    )
    attachments = list(
        Attachment.history.filter(exchange_id=exchange.pk).select_related("history_user")  # type: ignore[attr-defined]  # idem
    )
    links = m2m_links(
        Exchange.history.model,  # type: ignore[attr-defined]  # simple-history's, at run time
        exchange_rows,
        EXCHANGE_LINKS,
    )
    # Any: the ids read from history rows, by the model they point to.
    wanted: dict[Any, set[Any]] = defaultdict(set)
    for row in exchange_rows:
        wanted[Territory] |= {row.host_territory_id, row.visiting_territory_id}
        wanted[Partnership].add(row.partnership_id)
    for row in views:
        wanted[Territory].add(row.territory_id)
    for name in EXCHANGE_LINKS:
        model = Exchange._meta.get_field(name).related_model
        for fields in links.values():
            wanted[model] |= fields[name]
    names = related_names(wanted)

    def view_label(row: HistoricalRow) -> str:
        territory = names.get((Territory, row.territory_id), "")
        return _("cross view of %(territory)s") % {"territory": territory}

    def attachment_label(row: HistoricalRow) -> str:
        return _("attachment “%(name)s”") % {"name": row.caption or row.original_name}

    entries = [
        *describe(
            exchange_rows,
            model=Exchange,
            m2m=links,
            label=lambda row: str(_("exchange")),
            imported_label=_imported_label,
            names=names,
        ),
        *describe(
            views, model=CrossView, label=view_label, names=names, hidden=["exchange", "territory"]
        ),
        *describe(
            attachments, model=Attachment, label=attachment_label, names=names, hidden=["exchange"]
        ),
    ]
    shown = [entry for entry in entries if entry.row.history_change_reason != BASELINE]
    return sorted(shown, key=lambda entry: (entry.when, entry.row.history_id), reverse=True)


# ---- photos for the annual restitution (the restitution's templates show them) ---------------


def restitution_photos(partnership: Partnership, year: int) -> QuerySet[Attachment]:
    """The photos chosen "for the restitution" among the year's active exchanges of the
    partnership, in the exchanges' order (oldest first), each with its exchange: show
    `photo.thumbnail` (or `photo.file`), `photo.caption` and `photo.credit`. One query."""
    return (
        Attachment.objects.filter(
            exchange__partnership=partnership,
            exchange__deleted_at__isnull=True,
            exchange__start_date__year=year,
            for_restitution=True,
            content_type__startswith="image/",
        )
        .select_related("exchange")
        .order_by("exchange__start_date", "exchange_id", "uploaded_at", "pk")
    )


def key_figures_of_years(
    partnership: Partnership, territories: list[Territory]
) -> dict[int, KeyFigures]:
    """The key figures of every year with exchanges, oldest first (the progress page shows
    them side by side). The counting, three queries whatever the number of years, is kept in
    cache like a year's (`key_figures`) until an exchange of the partnership changes."""
    tallies = remember(
        f"key-figures:{partnership.pk}:by-year",
        lambda: _tallies_by_year(exchanges_of(partnership)),
        scopes=[partnership_scope(partnership.pk)],
    )
    strands = partnership_strands(partnership)
    return {year: _figures(year, tallies[year], strands, territories) for year in sorted(tallies)}


def _tallies_by_year(exchanges: QuerySet[Exchange]) -> dict[int, Tallies]:
    """`_tallies` of each year's exchanges, in the same three queries grouped by year."""
    exchanges = exchanges.annotate(year=ExtractYear("start_date")).order_by()
    groups: dict[int, list[Group]] = defaultdict(list)
    rows = exchanges.values_list("year", "kind", "visiting_territory", "host_territory").annotate(
        n=Count("pk"),
        professionals=Sum("professionals_met_count"),
        elected=Sum("elected_officials_count"),
        technical=Sum("technical_staff_count"),
        illustrative=Count("pk", filter=Q(illustrative=True)),
    )
    for year, *group in rows:
        groups[year].append(tuple(group))
    visits = dict(
        Exchange.establishments.through.objects.filter(  # type: ignore[attr-defined]  # see above
            exchange__in=exchanges.values("pk")
        )
        .annotate(year=ExtractYear("exchange__start_date"))
        .order_by()
        .values_list("year")
        .annotate(n=Count("establishment", distinct=True))
    )
    by_strand: dict[int, dict[int, int]] = defaultdict(dict)
    links = (
        Exchange.strands.through.objects.filter(exchange__in=exchanges.values("pk"))
        .annotate(year=ExtractYear("exchange__start_date"))
        .order_by()
        # "year" is the annotation just above, which the plugin does not follow
        .values_list("year", "strand")  # type: ignore[misc]
        .annotate(n=Count("*"))
    )
    for year, strand_id, n in links:
        by_strand[year][strand_id] = n
    return {year: Tallies(groups[year], visits.get(year, 0), by_strand[year]) for year in groups}
