"""A visitor opens the home page: the partnership at a glance, its funding and key figures."""

import datetime

import pytest

from partners.models import FundingLine
from tests.factories import (
    EstablishmentFactory,
    ExchangeFactory,
    FundingLineFactory,
    OrganisationFactory,
    StrandFactory,
)

pytestmark = pytest.mark.django_db


def test_the_home_page_tells_since_when_and_between_whom(client, partnership):
    html = client.get("/fr/").content.decode()

    assert "L&#x27;action sociale de l&#x27;autre" in html
    assert "1988" in html
    assert "Savoie" in html
    assert "Bignona" in html


def test_the_funding_total_is_the_sum_of_the_lines_and_follows_them(client, partnership):
    FundingLineFactory(partnership=partnership, amount=20000)
    FundingLineFactory(partnership=partnership, amount=5000)
    line = FundingLineFactory(partnership=partnership, amount=5000)

    assert "30\u00a0000\u00a0€" in client.get("/fr/").content.decode()

    line.amount = 7500
    line.save()
    assert "32\u00a0500\u00a0€" in client.get("/fr/").content.decode()
    assert "€32,500" in client.get("/en/").content.decode()


def test_lines_in_two_currencies_get_a_total_each(client, partnership):
    FundingLineFactory(partnership=partnership, amount=1000)
    FundingLineFactory(partnership=partnership, amount=655957, currency="XOF")

    html = client.get("/fr/").content.decode()

    assert "1\u00a0000\u00a0€" in html
    assert "655\u00a0957\u00a0F CFA" in html


def test_the_key_figures_are_those_of_the_latest_year_and_other_years_can_be_chosen(
    client, partnership
):
    visit_2016 = ExchangeFactory(
        partnership=partnership,
        professionals_met_count=30,
        establishments=[EstablishmentFactory(), EstablishmentFactory()],
    )
    ExchangeFactory(
        partnership=partnership,
        start_date=datetime.date(2015, 6, 1),
        professionals_met_count=4,
    )

    latest = client.get("/en/").context["figures"]
    assert (latest.year, latest.professionals_met, latest.establishments_visited) == (2016, 30, 2)

    earlier = client.get("/en/?year=2015").context["figures"]
    assert (earlier.year, earlier.professionals_met, earlier.establishments_visited) == (
        2015,
        4,
        0,
    )

    everything = client.get("/en/?year=all").context["figures"]
    assert (everything.exchanges, everything.professionals_met) == (2, 34)

    visit_2016.delete()
    assert client.get("/en/?year=2016").context["figures"].year == 2015  # no 2016 left


def test_a_year_that_makes_no_sense_falls_back_to_the_latest(client, partnership):
    ExchangeFactory(partnership=partnership)

    for bad in ["abc", "-1", "99999999999999999999", "2016'--"]:
        response = client.get("/fr/", {"year": bad})
        assert response.status_code == 200
        assert '<strong aria-current="page">2016</strong>' in response.content.decode()


@pytest.mark.parametrize("exchanges", [2, 40])
def test_the_home_page_costs_the_same_queries_whatever_the_data(
    client, partnership, django_assert_num_queries, exchanges
):
    strand = StrandFactory(partnership=partnership)
    for _ in range(3):
        FundingLineFactory(partnership=partnership, funder=OrganisationFactory())
    for _ in range(exchanges):
        ExchangeFactory(
            partnership=partnership, strands=[strand], establishments=[EstablishmentFactory()]
        )

    # partnership, years, the latest published restitution, territories, roles, funding,
    # goals, the key figures' counting (3) and their strands
    with django_assert_num_queries(11):
        assert client.get("/fr/").status_code == 200
    # Then the counting is kept until an exchange changes.
    with django_assert_num_queries(8):
        assert client.get("/fr/").status_code == 200
    assert FundingLine.objects.count() == 3


def test_the_projects_name_reads_as_french_on_the_english_home_page(client, partnership):
    english = client.get("/en/").content.decode()
    french = client.get("/fr/").content.decode()

    # Kept in French (docs/glossary.md): in italics, and read by a screen reader as French.
    assert '<h1><i lang="fr">L’action sociale de l’autre</i></h1>' in english
    assert "<h1>L’action sociale de l’autre</h1>" in french
    assert '<i lang="fr">' not in french
