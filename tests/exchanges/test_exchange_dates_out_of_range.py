"""An exchange cannot be dated before the partnership began, and one such exchange already in
the table (legacy data, a bulk import) does not break any page."""

import datetime

import pytest
from django.utils import timezone

from exchanges.models import Exchange
from exchanges.selectors import exchange_years
from tests.factories import ExchangeFactory, PartnershipFactory, exchange_form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"start_date": "0001-01-01", "end_date": "0001-01-02"}, "start_date", id="1"),
        pytest.param({"start_date": "1987-12-31", "end_date": "1988-01-02"}, "start_date", id="87"),
    ],
)
def test_an_exchange_dated_before_the_partnership_is_refused_next_to_its_date(
    client, officer_savoie, partnership, changes, field
):
    client.force_login(officer_savoie)

    response = client.post("/en/exchanges/new/", exchange_form_data(**changes))

    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any("before the partnership began, in 1988" in error for error in errors)
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert f'value="{changes["start_date"]}"' in html  # what was typed is kept
    assert Exchange.objects.count() == 0


def test_the_message_is_in_french_on_the_french_page(client, officer_savoie, partnership):
    client.force_login(officer_savoie)

    response = client.post(
        "/fr/exchanges/new/", exchange_form_data(start_date="0001-01-01", end_date="0001-01-02")
    )

    assert "antérieure au début du partenariat, en 1988" in response.content.decode()


def test_an_exchange_of_the_partnerships_first_day_is_accepted(client, officer_savoie, partnership):
    client.force_login(officer_savoie)

    response = client.post(
        "/en/exchanges/new/", exchange_form_data(start_date="1988-01-01", end_date="1988-01-03")
    )

    assert response.status_code == 302
    assert Exchange.objects.get().start_date == datetime.date(1988, 1, 1)


@pytest.fixture
def legacy_exchanges(partnership):
    """Rows saved before the check, as an import or an old bug would have left them."""
    ExchangeFactory(partnership=partnership, start_date=datetime.date(2016, 5, 10))
    Exchange.objects.bulk_create(
        [
            ExchangeFactory.build(
                partnership=partnership,
                start_date=datetime.date(year, 1, 1),
                end_date=datetime.date(year, 1, 2),
            )
            for year in (1, 500)
        ]
    )
    far = ExchangeFactory(partnership=partnership, start_date=datetime.date(2017, 1, 1))
    Exchange.objects.filter(pk=far.pk).update(
        start_date=datetime.date(9999, 12, 30), end_date=datetime.date(9999, 12, 31)
    )


def test_the_years_are_read_whatever_the_dates_in_the_table(partnership, legacy_exchanges):
    assert exchange_years(partnership) == [1, 500, 2016, 9999]


def test_the_years_cost_one_query(partnership, legacy_exchanges, django_assert_num_queries):
    with django_assert_num_queries(1):
        exchange_years(partnership)


def test_no_exchange_no_year(partnership, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert exchange_years(partnership) == []


def test_deleted_exchanges_and_other_partnerships_give_no_year(partnership):
    ExchangeFactory(partnership=partnership, start_date=datetime.date(2016, 5, 10))
    gone = ExchangeFactory(partnership=partnership, start_date=datetime.date(2018, 5, 10))
    Exchange.objects.filter(pk=gone.pk).update(deleted_at=timezone.now())
    other = PartnershipFactory(slug="autre", since_year=2000)
    ExchangeFactory(partnership=other, start_date=datetime.date(2019, 5, 10))

    assert exchange_years(partnership) == [2016]
    assert exchange_years(other) == [2019]


@pytest.mark.parametrize(
    ("address", "years_listed", "shown"),
    [
        ("/fr/", [], ['href="?year=1"', 'href="?year=500"', 'href="?year=2016"']),
        ("/fr/?year=1", [], ['<strong aria-current="page">1</strong>', 'href="?year=500"']),
        ("/fr/exchanges/", [1, 500, 2016, 9999], []),
        ("/fr/exchanges/?year=500", [500], []),
        ("/fr/exchanges/export.csv", [1, 500, 2016, 9999], []),
        ("/fr/restitutions/", [], []),
    ],
)
def test_every_page_answers_with_exchanges_of_year_1_and_500_in_the_table(
    client, administrator, legacy_exchanges, address, years_listed, shown
):
    client.force_login(administrator)

    response = client.get(address)

    assert response.status_code == 200
    page = response.getvalue().decode()
    for exchange in Exchange.objects.all():
        listed = exchange.start_date.year in years_listed
        assert (exchange.title_fr in page) == listed, (exchange.start_date, listed)
    for text in shown:
        assert text in page
