"""The filtered list of exchanges as a CSV file that opens cleanly in a French spreadsheet:
`;` between columns (the comma is the French decimal mark), UTF-8 with a byte order mark
(without it, Excel reads accents as Windows-1252), headers and dates in the user's language."""

import csv
from collections.abc import Callable, Iterable

from django.http import HttpResponse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from partners.models import Territory

from .models import Exchange


def exchanges_csv(
    exchanges: Iterable[Exchange],
    *,
    territories: list[Territory],
    link: Callable[[Exchange], str],
    filename: str = "exchanges.csv",
) -> HttpResponse:
    """One row an exchange: its facts, both sides' cross views (a column a territory, in the
    partnership's order), the follow-up, the questionings worked on, then its id and the
    address of its page (`link`), so a row can be found again on the site."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
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
                _("Cross view of %(territory)s") % {"territory": territory.name}
                for territory in territories
            ),
            _("Id"),
            _("Link"),
        ]
    )
    for exchange in exchanges:
        views = {view.territory_id: view.text for view in exchange.cross_views.all()}
        row = [
            date_format(exchange.start_date, "SHORT_DATE_FORMAT"),
            date_format(exchange.end_date, "SHORT_DATE_FORMAT"),
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
        writer.writerow([spreadsheet_safe(value) for value in row])
    return response


def _questioning(questioning) -> str:
    return f"{questioning.territory.name} — {questioning.topic.name} — {questioning.question}"


def spreadsheet_safe(value):
    """A text cell starting with = + - @ would run as a formula in a spreadsheet: quote it."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
