"""Keyset pagination, newest first: no COUNT(*) and no OFFSET, so a page costs the same on
the first and the hundredth page. The cursor is readable in the address: `2016-05-10_42`
(the start date and id of the row the page continues from).

The condition on the cursor starts with `start_date <= day` (or `>=`): the database then
walks the partnership's index from the cursor on and stops after one page, instead of
gathering every older row and sorting them."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .models import Exchange


@dataclass(frozen=True)
class Page:
    items: list[Exchange]
    next_cursor: str | None  # ?after=… for older exchanges
    previous_cursor: str | None  # ?before=… for newer exchanges


def cursor_of(exchange: Exchange) -> str:
    return f"{exchange.start_date.isoformat()}_{exchange.pk}"


def parse_cursor(raw: str | None) -> tuple[datetime.date, int] | None:
    """None for anything that is not a cursor: a mangled address shows the first page."""
    if not raw:
        return None
    day, _sep, pk = raw.partition("_")
    try:
        return datetime.date.fromisoformat(day), int(pk)
    except ValueError:
        return None


def keyset_page(
    exchanges: QuerySet[Exchange], *, after: str | None, before: str | None, size: int
) -> Page:
    """One page of `exchanges` ordered by (-start_date, -pk): the `size` rows older than
    `after`, or the `size` rows newer than `before`, or the newest ones."""
    if (cursor := parse_cursor(before)) is not None:
        day, pk = cursor
        newer = Q(start_date__gte=day) & (Q(start_date__gt=day) | Q(pk__gt=pk))
        rows = list(exchanges.filter(newer).order_by("start_date", "pk")[: size + 1])
        items = rows[:size][::-1]
        has_newer, has_older = len(rows) > size, True
    else:
        if (cursor := parse_cursor(after)) is not None:
            day, pk = cursor
            older = Q(start_date__lte=day) & (Q(start_date__lt=day) | Q(pk__lt=pk))
            exchanges = exchanges.filter(older)
        rows = list(exchanges.order_by("-start_date", "-pk")[: size + 1])
        items = rows[:size]
        has_newer, has_older = cursor is not None, len(rows) > size
    return Page(
        items=items,
        next_cursor=cursor_of(items[-1]) if items and has_older else None,
        previous_cursor=cursor_of(items[0]) if items and has_newer else None,
    )
