"""A member cannot take the site down with the exchange search: whatever is typed in `?q=`,
the list and its CSV export run one query whose text matches are bounded (a hundred one-letter
words were a hundred unindexed matches on every searched column: 100 s at 10 000 exchanges on
PostgreSQL). Run on SQLite and PostgreSQL alike."""

import re
import string

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.search import MAX_WORDS, search_words
from tests.factories import ExchangeFactory

pytestmark = pytest.mark.django_db

#: The text matches one word costs: on PostgreSQL one look-up of each searched table's search
#: document (the exchanges, their cross views, the establishments); on SQLite one LIKE on each
#: searched column (an exchange's title (2), summary (2) and place, its cross views' text (2),
#: its establishments' names (2) and towns).
MATCHES_PER_WORD = 3 if connection.vendor == "postgresql" else 10

HUNDRED_ONE_LETTER_WORDS = " ".join(string.ascii_lowercase[i % 26] for i in range(100))


def text_matches(queries: list[dict]) -> int:
    return sum(len(re.findall(r"\bLIKE\b|@@", query["sql"], re.I)) for query in queries)


def read_whole(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("address", ["/fr/exchanges/", "/fr/exchanges/export.csv"])
def test_a_hundred_one_letter_words_cost_one_word(client, elected_official, partnership, address):
    ExchangeFactory(title_fr="Une visite à Bignona")
    client.force_login(elected_official)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(address, {"q": HUNDRED_ONE_LETTER_WORDS})
        read_whole(response)  # the CSV is streamed: its queries run as it is read

    assert response.status_code == 200
    assert text_matches(queries.captured_queries) == MATCHES_PER_WORD


@pytest.mark.parametrize("address", ["/fr/exchanges/", "/fr/exchanges/export.csv"])
def test_many_long_words_are_capped(client, officer_savoie, partnership, address):
    ExchangeFactory(title_fr="Une visite à Bignona")
    client.force_login(officer_savoie)
    words = " ".join(f"mot{letter}{letter}" for letter in string.ascii_lowercase)  # 155 characters

    with CaptureQueriesContext(connection) as queries:
        response = client.get(address, {"q": words})
        read_whole(response)  # the CSV is streamed: its queries run as it is read

    assert response.status_code == 200
    assert text_matches(queries.captured_queries) == MAX_WORDS * MATCHES_PER_WORD


@pytest.mark.parametrize(
    ("typed", "looked_for"),
    [
        (HUNDRED_ONE_LETTER_WORDS, ["a"]),  # nothing longer typed: one short word kept
        ("50 %", ["50"]),
        ("_ %", []),  # no letter nor digit: no word
        ("de la visite à Bignona", ["bignona", "visite"]),  # short words dropped
        ("Échange ECHANGE échange", ["echange"]),  # repeated, accents and case aside
        ("ech échange", ["echange"]),  # held in a longer word
        ("", []),
        ("l'EHPAD de Thionck-Essyl", ["thionck", "ehpad", "essyl"]),  # as PostgreSQL cuts them
        (" ".join(f"w{n:03d}" for n in range(100)), [f"w{n:03d}" for n in range(MAX_WORDS)]),
    ],
)
def test_the_words_looked_for(typed, looked_for):
    assert search_words(typed) == looked_for


def test_dropped_words_only_widen_the_result(client, officer_savoie, partnership):
    """Dropping a short word may show more exchanges, never hide one that holds them all."""
    ExchangeFactory(title_fr="Visite à Bignona")
    ExchangeFactory(title_fr="Visite à Chambéry")
    client.force_login(officer_savoie)

    response = client.get("/fr/exchanges/", {"q": "à la visite de bignona"})

    assert [e.title for e in response.context["page"].items] == ["Visite à Bignona"]
