"""Key figures are kept in cache per partnership and year, and forgotten by the services that
change exchanges: what a visitor reads is never older than the last saved exchange."""

import datetime

import pytest

from exchanges import selectors, services
from exchanges.selectors import key_figures, key_figures_of_years
from partners.selectors import partnership_territories
from tests.factories import EstablishmentFactory, ExchangeFactory, exchange_form_data

pytestmark = pytest.mark.django_db


def _professionals(partnership, year=2016) -> int:
    return key_figures(partnership, year).professionals_met


def test_figures_are_kept_until_an_exchange_changes(partnership, django_assert_num_queries):
    ExchangeFactory(partnership=partnership, professionals_met_count=30)
    assert _professionals(partnership) == 30

    # strands and territories: the counting is kept
    with django_assert_num_queries(2):
        assert _professionals(partnership) == 30


def test_an_officer_logging_a_visit_changes_the_home_page_at_once(
    client, partnership, officer_savoie
):
    ExchangeFactory(partnership=partnership, professionals_met_count=30)
    assert _professionals(partnership) == 30
    assert _professionals(partnership, None) == 30
    client.force_login(officer_savoie)

    data = exchange_form_data(professionals_met_count="20")
    assert client.post("/fr/exchanges/new/", data).status_code == 302

    assert _professionals(partnership) == 50
    assert _professionals(partnership, None) == 50


def test_the_years_side_by_side_follow_a_logged_visit_at_once(
    client, partnership, officer_savoie, django_assert_num_queries
):
    ExchangeFactory(partnership=partnership, professionals_met_count=30)
    territories = partnership_territories(partnership)
    assert key_figures_of_years(partnership, territories)[2016].professionals_met == 30
    with django_assert_num_queries(1):  # the strands; the counting is kept
        key_figures_of_years(partnership, territories)
    client.force_login(officer_savoie)

    data = exchange_form_data(professionals_met_count="20")
    assert client.post("/fr/exchanges/new/", data).status_code == 302

    assert key_figures_of_years(partnership, territories)[2016].professionals_met == 50


def test_moving_an_exchange_to_another_year_changes_both_years(partnership, officer_savoie):
    exchange = ExchangeFactory(
        partnership=partnership,
        professionals_met_count=30,
        host_territory=officer_savoie.profile.territory,
    )
    assert (_professionals(partnership, 2016), _professionals(partnership, 2017)) == (30, 0)

    values = services.exchange_values(exchange)
    values.update(start_date=datetime.date(2017, 3, 1), end_date=datetime.date(2017, 3, 2))
    services.exchange_update(
        exchange=exchange, author=officer_savoie, expected_version=exchange.version, values=values
    )

    assert (_professionals(partnership, 2016), _professionals(partnership, 2017)) == (0, 30)


def test_a_deleted_exchange_leaves_the_figures(partnership, officer_savoie):
    exchange = ExchangeFactory(
        partnership=partnership,
        professionals_met_count=30,
        host_territory=officer_savoie.profile.territory,
    )
    assert _professionals(partnership) == 30

    services.exchange_delete(exchange=exchange, author=officer_savoie)

    assert _professionals(partnership) == 0


def test_an_establishment_removed_in_the_admin_leaves_the_figures(
    client, partnership, administrator
):
    home = EstablishmentFactory(name_fr="EHPAD des Charmettes")
    exchange = ExchangeFactory(partnership=partnership)
    exchange.establishments.add(home)
    assert key_figures(partnership, 2016).establishments_visited == 1
    client.force_login(administrator)

    url = f"/fr/admin/exchanges/establishment/{home.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 302

    assert key_figures(partnership, 2016).establishments_visited == 0
    assert key_figures(partnership, None).establishments_visited == 0


@pytest.mark.django_db(transaction=True)
def test_a_visitor_counting_while_a_change_commits_does_not_keep_the_old_figures(
    partnership, officer_savoie, monkeypatch
):
    """The visitor reads the partnership's generation, counts 30, an officer's change to 99
    commits, then the visitor keeps its 30: the next visitor must read 99, not 30 for a day."""
    exchange = ExchangeFactory(
        partnership=partnership,
        professionals_met_count=30,
        host_territory=officer_savoie.profile.territory,
    )
    count = selectors._tallies

    def count_then_the_change_commits(exchanges):
        counted = count(exchanges)
        values = services.exchange_values(exchange)
        values["professionals_met_count"] = 99
        services.exchange_update(
            exchange=exchange, author=officer_savoie, expected_version=1, values=values
        )
        return counted

    monkeypatch.setattr(selectors, "_tallies", count_then_the_change_commits)
    assert _professionals(partnership) == 30  # what this visitor counted, and kept
    monkeypatch.setattr(selectors, "_tallies", count)

    assert _professionals(partnership) == 99
    assert _professionals(partnership, None) == 99
