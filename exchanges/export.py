"""The filtered list of exchanges as a CSV file that opens cleanly in a spreadsheet of the
user's language, streamed a chunk of exchanges at a time (100 000 exchanges are never held in
memory at once: the queryset is read with `.iterator(chunk_size=…)`, its prefetches made per
chunk).

French: `;` between columns (the comma is the French decimal mark, and French Excel splits on
`;`) and dates as 10/05/2016. English: `,` between columns, as English spreadsheets expect, and
dates in ISO 8601 (2016-05-10): the site's English is British (10/05/2016 on its pages), but an
English CSV is also opened by a US-locale Excel, which would read 10/05/2016 as 5 October
without a word; every spreadsheet reads yyyy-mm-dd as a date, the same one. Both in UTF-8 with a
byte order mark (without it, Excel reads accents as Windows-1252), headers in the user's
language."""

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from partners.models import Territory, territory_sentence

from .models import Exchange

#: Exchanges read (and their links prefetched) at a time: a few MB with long texts.
CHUNK_SIZE = 500


@dataclass(frozen=True)
class Convention:
    """How a language's spreadsheets read a CSV file."""

    delimiter: str
    date: Callable[[date], str]


CONVENTIONS = {
    "fr": Convention(";", lambda day: date_format(day, "SHORT_DATE_FORMAT")),
    "en": Convention(",", date.isoformat),
}


def convention(language: str) -> Convention:
    return CONVENTIONS.get(language[:2], CONVENTIONS["fr"])


class _Line:
    """csv.writer's file: `writerow` returns what `write` returns, the line, to be yielded."""

    def write(self, text: str) -> str:
        return text


def exchanges_csv(
    exchanges: QuerySet[Exchange],
    *,
    territories: list[Territory],
    link: Callable[[Exchange], str],
    filename: str = "exchanges.csv",
) -> StreamingHttpResponse:
    """One row an exchange: its facts, both sides' cross views (a column a territory, in the
    partnership's order), the follow-up, the questionings worked on, then its id and the
    address of its page (`link`), so a row can be found again on the site. The rows are
    written while the response is sent, CHUNK_SIZE exchanges read at a time (with their
    prefetched links: the same queries for each chunk), in the language active now."""
    language = translation.get_language() or "fr"
    response = StreamingHttpResponse(
        _lines(
            exchanges.iterator(chunk_size=CHUNK_SIZE),
            territories=territories,
            link=link,
            language=language,
        ),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _lines(
    exchanges: Iterable[Exchange],
    *,
    territories: list[Territory],
    link: Callable[[Exchange], str],
    language: str,
) -> Iterator[str]:
    # Sent after the view returned: the language (headers, dates, links) is set again here.
    with translation.override(language):
        spreadsheet = convention(language)
        writer = csv.writer(_Line(), delimiter=spreadsheet.delimiter)
        yield "\ufeff"
        yield writer.writerow(_header(territories))
        for exchange in exchanges:
            row = _row(exchange, territories=territories, link=link, day=spreadsheet.date)
            yield writer.writerow([spreadsheet_safe(value) for value in row])


def _header(territories: list[Territory]) -> list[str]:
    return [
        _("Start date"),
        _("End date"),
        _("Kind"),
        _("Title"),
        _("Host territory"),
        _("Visiting delegation's territory"),
        _("Place"),
        _("Strands"),
        _("Social establishments visited"),
        _("Social professionals met"),
        _("Elected officials"),
        _("Technical staff"),
        _("Summary"),
        _("Follow-up actions"),
        _("Paired questionings it worked on"),
        *(
            territory_sentence(_("Cross view of %(territory)s"), territory=territory)
            for territory in territories
        ),
        _("Id"),
        _("Link"),
    ]


def _row(
    exchange: Exchange,
    *,
    territories: list[Territory],
    link: Callable[[Exchange], str],
    day: Callable[[date], str],
) -> list:
    views = {view.territory_id: view.text for view in exchange.cross_views.all()}
    return [
        day(exchange.start_date),
        day(exchange.end_date),
        exchange.get_kind_display(),
        exchange.title,
        exchange.host_territory.name,
        exchange.visiting_territory.name if exchange.visiting_territory else "",
        exchange.place,
        ", ".join(strand.short_name for strand in exchange.strands.all()),
        ", ".join(place.name for place in exchange.establishments.all()),
        exchange.professionals_met_count,
        exchange.elected_officials_count,
        exchange.technical_staff_count,
        exchange.summary,
        exchange.follow_up,
        "\n".join(_questioning(questioning) for questioning in exchange.questionings.all()),
        *(views.get(territory.pk, "") for territory in territories),
        exchange.pk,
        link(exchange),
    ]


def _questioning(questioning) -> str:
    return f"{questioning.territory.name} — {questioning.topic.name} — {questioning.question}"


def spreadsheet_safe(value):
    """A text cell starting with = + - @ would run as a formula in a spreadsheet: quote it."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
