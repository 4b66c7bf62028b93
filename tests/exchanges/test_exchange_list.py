"""The list of exchanges: newest first, filters kept in the address, CSV of the same query,
and a number of SQL queries that does not grow with the number of exchanges."""

import csv
import datetime
import html
import io

import pytest
from django.http import QueryDict

from exchanges.models import Exchange
from tests.factories import (
    AttachmentFactory,
    CrossViewFactory,
    EstablishmentFactory,
    ExchangeFactory,
    StrandFactory,
    bignona,
    savoie,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, officer_savoie):
    client.force_login(officer_savoie)
    return client


@pytest.fixture
def three_exchanges(partnership):
    elderly = StrandFactory(partnership=partnership, slug="elderly", short_name_fr="Âgés")
    youth = StrandFactory(partnership=partnership, slug="youth", short_name_fr="Jeunesse")
    return {
        "to_savoie": ExchangeFactory(
            title_fr="Visite des EHPAD",
            start_date=datetime.date(2016, 5, 10),
            strands=[elderly],
        ),
        "to_bignona": ExchangeFactory(
            title_fr="Mission à Bignona",
            kind=Exchange.Kind.WORKSHOP,
            start_date=datetime.date(2017, 2, 1),
            host_territory=bignona(),
            visiting_territory=savoie(),
            place="Bignona",
            summary_fr="Atelier sur la place des aînés dans la famille",
            strands=[youth],
        ),
        "local": ExchangeFactory(
            title_fr="Sensibilisation des élus",
            kind=Exchange.Kind.AWARENESS_SESSION,
            start_date=datetime.date(2016, 11, 3),
            visiting_territory=None,
        ),
    }


def titles(response) -> list[str]:
    return [exchange.title for exchange in response.context["page"].items]


def test_the_list_shows_the_newest_exchanges_first(logged_in, three_exchanges):
    response = logged_in.get("/fr/exchanges/")

    assert titles(response) == ["Mission à Bignona", "Sensibilisation des élus", "Visite des EHPAD"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("territory=bignona", {"Mission à Bignona", "Visite des EHPAD"}),
        ("direction=bignona.savoie", {"Visite des EHPAD"}),
        ("direction=savoie.bignona", {"Mission à Bignona"}),
        ("direction=local", {"Sensibilisation des élus"}),
        ("kind=workshop", {"Mission à Bignona"}),
        ("strand=elderly", {"Visite des EHPAD"}),
        ("year=2016", {"Visite des EHPAD", "Sensibilisation des élus"}),
        ("q=aînés famille", {"Mission à Bignona"}),
        ("q=ehpad", {"Visite des EHPAD"}),
        ("year=2016&direction=local", {"Sensibilisation des élus"}),
    ],
)
def test_the_filters_live_in_the_address(logged_in, three_exchanges, query, expected):
    response = logged_in.get(f"/fr/exchanges/?{query}")

    assert set(titles(response)) == expected
    export_link = f'href="/fr/exchanges/export.csv?{QueryDict(query).urlencode()}"'
    assert export_link in html.unescape(response.content.decode())


def test_the_direction_filter_offers_the_partnerships_own_directions(logged_in, three_exchanges):
    html = logged_in.get("/fr/exchanges/").content.decode()

    assert '<option value="savoie.bignona">Savoie → Bignona</option>' in html
    assert '<option value="bignona.savoie">Bignona → Savoie</option>' in html
    assert '<option value="local">' in html


@pytest.mark.parametrize(
    "query",
    [
        "territory=atlantis",
        "direction=savoie.atlantis",
        "direction=nonsense",
        "kind=party",
        "strand=999",
        "year=abcd",
        "year=1950",
    ],
)
def test_a_filter_value_that_makes_no_sense_is_reported_not_a_crash(
    logged_in, three_exchanges, query
):
    response = logged_in.get(f"/fr/exchanges/?{query}")

    assert response.status_code == 200
    assert response.context["filterset"].errors
    assert len(titles(response)) == 3  # the bad filter is ignored, and said so
    assert 'class="errorlist' in response.content.decode()


@pytest.mark.parametrize(
    "query", ["after=garbage", "before=2016-13-45_1", "after=_", "before=2016-01-01_x"]
)
def test_a_mangled_page_address_shows_the_first_page(logged_in, three_exchanges, query):
    response = logged_in.get(f"/fr/exchanges/?{query}")

    assert response.status_code == 200
    assert len(titles(response)) == 3


def test_pages_go_back_and_forth_without_counting_rows(logged_in, partnership):
    for day in range(45):
        ExchangeFactory(
            title_fr=f"Échange {day:02}",
            start_date=datetime.date(2016, 1, 1) + datetime.timedelta(day),
        )

    first = logged_in.get("/fr/exchanges/")
    second = logged_in.get(f"/fr/exchanges/?after={first.context['page'].next_cursor}")
    third = logged_in.get(f"/fr/exchanges/?after={second.context['page'].next_cursor}")
    back = logged_in.get(f"/fr/exchanges/?before={third.context['page'].previous_cursor}")

    assert titles(first)[0] == "Échange 44"
    assert len(titles(first)) == 20
    assert titles(second)[0] == "Échange 24"
    assert titles(third) == ["Échange 04", "Échange 03", "Échange 02", "Échange 01", "Échange 00"]
    assert third.context["page"].next_cursor is None
    assert titles(back) == titles(second)
    assert first.context["page"].previous_cursor is None
    assert 'rel="next"' in first.content.decode()
    assert 'rel="prev"' in third.content.decode()


def read_csv(response, delimiter=";") -> list[list[str]]:
    assert response.streaming  # written while it is sent, never held whole in memory
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark: Excel reads the accents
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=delimiter))


def test_the_csv_export_honours_the_filters(logged_in, three_exchanges):
    response = logged_in.get("/fr/exchanges/export.csv?year=2016&kind=field_visit")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    header, *rows = read_csv(response)
    assert [row[3] for row in rows] == ["Visite des EHPAD"]
    assert rows[0][0] == "10/05/2016"  # a French date
    assert len(header) == len(rows[0])


def test_the_csv_columns_are_in_the_users_language(logged_in, three_exchanges):
    english = read_csv(logged_in.get("/en/exchanges/export.csv"), delimiter=",")[0]

    assert english[:4] == ["Start date", "End date", "Kind", "Title"]


@pytest.mark.parametrize(
    ("language", "separator", "date"),
    [
        ("fr", ";", "10/05/2016"),  # French Excel: `;` (the comma is the decimal mark)
        ("en", ",", "2016-05-10"),  # English spreadsheets: `,`; ISO 8601, read alike everywhere
    ],
)
def test_the_csv_follows_the_spreadsheet_conventions_of_the_users_language(
    logged_in, three_exchanges, language, separator, date
):
    response = logged_in.get(f"/{language}/exchanges/export.csv?year=2016&kind=field_visit")
    raw = b"".join(response.streaming_content).decode("utf-8-sig")

    header, row = csv.reader(io.StringIO(raw), delimiter=separator)
    assert len(header) == len(row) > 10
    assert row[0] == date
    assert row[3] == "Visite des EHPAD"
    assert row[-1] == f"http://testserver/{language}/exchanges/{three_exchanges['to_savoie'].pk}/"


def test_the_csv_defuses_spreadsheet_formulas(logged_in, partnership):
    ExchangeFactory(title_fr='=HYPERLINK("http://example.com")', place="+33 4 79")

    rows = read_csv(logged_in.get("/fr/exchanges/export.csv"))

    assert rows[1][3].startswith("'=")
    assert rows[1][6] == "'+33 4 79"


# Query counts: pinned, and the same for 5 and for 200 exchanges.

# session, user with profile, territory and the content's version, then the filter's choices:
# partnership, territories, strands, years (one query reading one index entry a year); then the
# exchanges and their strands; then the officer's count of cross views to write (navigation).
LIST_QUERIES = 9
# the list's queries but the navigation's count (no page), with the establishments, cross
# views and questionings (with their topics and territories) of each exchange
CSV_QUERIES = 11
# session, user with profile, territory and the content's version, the exchange with its
# territories and authors, its strands, establishments, questionings, recommendations, cross
# views and attachments, then the partnership's territories; then the navigation's count.
DETAIL_QUERIES = 11


@pytest.fixture(params=[5, 200], ids=["5-exchanges", "200-exchanges"])
def many_exchanges(request, partnership):
    strands = [StrandFactory(partnership=partnership) for _ in range(2)]
    places = [EstablishmentFactory() for _ in range(2)]
    # Written in a few queries (bulk_create), not one exchange at a time: the same rows as
    # ExchangeFactory(partnership=..., strands=strands, establishments=places) each, but the
    # 200 exchanges cost the suite seconds less each of the three times they are written.
    exchanges = Exchange.objects.bulk_create(
        ExchangeFactory.build(
            partnership=partnership,
            start_date=datetime.date(2016, 1, 1) + datetime.timedelta(days=n % 360),
        )
        for n in range(request.param)
    )
    links = [
        (Exchange.strands, "strand", strands),
        (Exchange.establishments, "establishment", places),
    ]
    for relation, name, targets in links:
        relation.through.objects.bulk_create(
            relation.through(exchange=exchange, **{name: target})
            for exchange in exchanges
            for target in targets
        )
    return exchanges


def test_the_list_costs_the_same_queries_whatever_the_number_of_exchanges(
    logged_in, many_exchanges, django_assert_num_queries
):
    with django_assert_num_queries(LIST_QUERIES):
        response = logged_in.get("/fr/exchanges/?year=2016")

    assert response.status_code == 200
    assert len(titles(response)) == min(20, len(many_exchanges))


def test_the_detail_page_costs_a_fixed_number_of_queries(
    logged_in, many_exchanges, django_assert_num_queries, media_root
):
    exchange = many_exchanges[0]
    CrossViewFactory(exchange=exchange)
    CrossViewFactory(exchange=exchange, territory=bignona())
    AttachmentFactory.create_batch(2, exchange=exchange)

    with django_assert_num_queries(DETAIL_QUERIES):
        response = logged_in.get(f"/fr/exchanges/{exchange.pk}/")

    assert response.status_code == 200


def test_the_csv_costs_the_same_queries_whatever_the_number_of_exchanges(
    logged_in, many_exchanges, django_assert_num_queries
):
    with django_assert_num_queries(CSV_QUERIES):
        response = logged_in.get("/fr/exchanges/export.csv")
        rows = read_csv(response)

    assert len(rows) == len(many_exchanges) + 1


# The export reads the exchanges a chunk at a time: each chunk's strands, establishments, cross
# views and questionings are four queries, whatever the chunk holds.
PREFETCHES_A_CHUNK = 4


@pytest.mark.parametrize("chunks", [1, 2])
def test_the_csv_costs_the_same_queries_for_each_chunk_of_exchanges(
    logged_in, partnership, monkeypatch, django_assert_num_queries, chunks
):
    monkeypatch.setattr("exchanges.export.CHUNK_SIZE", 10)
    strands = [StrandFactory(partnership=partnership) for _ in range(2)]
    for n in range(10 * chunks):
        exchange = ExchangeFactory(strands=strands, establishments=[EstablishmentFactory()])
        CrossViewFactory(exchange=exchange, territory=bignona(), text_fr=f"Regard {n}")

    with django_assert_num_queries(CSV_QUERIES + PREFETCHES_A_CHUNK * (chunks - 1)):
        rows = read_csv(logged_in.get("/fr/exchanges/export.csv"))

    header, *rows = rows
    assert len(rows) == 10 * chunks
    bignonas = header.index("Regard croisé de Bignona")
    assert {row[bignonas] for row in rows} == {f"Regard {n}" for n in range(10 * chunks)}
