"""The list's search ignores accents and case, and looks into titles, summaries, places,
establishments and cross views, on SQLite and PostgreSQL alike (run the suite on both); on
PostgreSQL it is answered by the GIN indexes of the tables' search documents (unaccented)."""

import pytest
from django.db import connection

from core.search import normal
from tests.factories import CrossViewFactory, EstablishmentFactory, ExchangeFactory, bignona

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, officer_savoie):
    client.force_login(officer_savoie)
    return client


def found(client, query: str) -> list[str]:
    response = client.get("/fr/exchanges/", {"q": query})
    assert response.status_code == 200
    return sorted(exchange.title for exchange in response.context["page"].items)


@pytest.mark.parametrize("query", ["echange", "ÉCHANGE", "Echange", "échange", "éChAnGe"])
def test_accents_and_case_do_not_matter(logged_in, partnership, query):
    ExchangeFactory(title_fr="Échange d'expériences")
    ExchangeFactory(title_fr="Visite de terrain")

    assert found(logged_in, query) == ["Échange d'expériences"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sénégalaise", ["Résumé"]),  # the summary
        ("ziguinchor", ["Lieu"]),  # the place
        ("foyer de vie", ["Établissement"]),  # an establishment visited, every word
        ("thionck", ["Établissement"]),  # an establishment's town
        ("reciprocite", ["Regard croisé"]),  # a cross view, in French
        ("reciprocity", ["Regard croisé"]),  # and in English
        ("coeur", ["Résumé"]),  # « cœur »: the ligature spelled out
    ],
)
def test_the_search_covers_summaries_places_establishments_and_cross_views(
    logged_in, partnership, query, expected
):
    ExchangeFactory(title_fr="Résumé", summary_fr="Une délégation SÉNÉGALAISE au cœur du sujet")
    ExchangeFactory(title_fr="Lieu", place="Ziguinchor")
    foyer = EstablishmentFactory(
        name_fr="Foyer de Vie des Bauges", town="Thionck-Essyl", territory=bignona()
    )
    ExchangeFactory(title_fr="Établissement", establishments=[foyer])
    view = CrossViewFactory(
        exchange=ExchangeFactory(title_fr="Regard croisé"),
        text_fr="La réciprocité avant tout.",
        text_en="Reciprocity first.",
    )
    assert view.pk

    assert found(logged_in, query) == expected


def test_every_word_must_be_found_somewhere(logged_in, partnership):
    ExchangeFactory(title_fr="Atelier jeunesse", place="Bignona")
    ExchangeFactory(title_fr="Atelier personnes âgées", place="Chambéry")

    assert found(logged_in, "atelier chambery") == ["Atelier personnes âgées"]
    assert found(logged_in, "ATELIER") == ["Atelier jeunesse", "Atelier personnes âgées"]


def test_percent_and_underscore_are_plain_characters(logged_in, partnership):
    ExchangeFactory(title_fr="Taux de 50 % atteint")
    ExchangeFactory(title_fr="Autre chose")

    assert found(logged_in, "50 %") == ["Taux de 50 % atteint"]
    assert found(logged_in, "_") == []


def test_normal_spells_text_as_the_database_does():
    assert normal("Échange À BIGNONA, œuvre") == "echange a bignona, oeuvre"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the indexes are PostgreSQL's")
def test_postgresql_answers_every_word_from_the_search_document_indexes(partnership):
    from django.http import QueryDict

    from exchanges.selectors import exchange_filter

    ExchangeFactory(title_fr="Échange")
    params = QueryDict(mutable=True)
    params["q"] = "échange visite jeunesse"
    query = exchange_filter(partnership, params).qs
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: make the choice visible
        sql, sql_params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", sql_params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    # Each word is one look-up in each table's GIN index (migration exchanges 0011): the
    # exchanges, their cross views and the establishments; no row's text is read again.
    for index in (
        "exchanges_exchange_search_document",
        "exchanges_crossview_search_document",
        "exchanges_establishment_search_document",
    ):
        assert plan.count(f"on {index}") == 3, plan
    assert "rc_search_normal" not in plan, plan
