"""The key figures are computed from the exchanges, never typed: adding or removing a visit
changes them."""

import datetime

import pytest
from django.utils import translation

from exchanges.models import Exchange
from exchanges.selectors import exchange_years, key_figures
from tests.factories import (
    EstablishmentFactory,
    ExchangeFactory,
    StrandFactory,
    bignona,
    exchange_form_data,
    savoie,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("nothing_kept")]


def test_adding_and_removing_a_visit_changes_the_figures(partnership):
    ehpad, foyer, ime = EstablishmentFactory.create_batch(3)
    ExchangeFactory(professionals_met_count=30, establishments=[ehpad, foyer])
    before = key_figures(partnership, 2016)

    visit = ExchangeFactory(professionals_met_count=20, establishments=[foyer, ime])
    added = key_figures(partnership, 2016)
    visit.delete()
    removed = key_figures(partnership, 2016)

    assert (before.professionals_met, before.establishments_visited) == (30, 2)
    assert (added.professionals_met, added.establishments_visited) == (50, 3)  # foyer once
    assert (added.exchanges, removed.exchanges) == (2, 1)
    assert removed == before


def test_a_change_typed_in_the_form_changes_the_figures(client, officer_savoie, partnership):
    visit = ExchangeFactory(professionals_met_count=10)
    client.force_login(officer_savoie)

    client.post(
        f"/fr/exchanges/{visit.pk}/edit/", exchange_form_data(visit, professionals_met_count="16")
    )

    assert key_figures(partnership, 2016).professionals_met == 16


def test_the_figures_of_a_year_leave_out_the_other_years(partnership):
    ExchangeFactory(professionals_met_count=5, start_date=datetime.date(2016, 3, 1))
    ExchangeFactory(professionals_met_count=7, start_date=datetime.date(2017, 3, 1))

    assert key_figures(partnership, 2016).professionals_met == 5
    assert key_figures(partnership, 2017).professionals_met == 7
    assert key_figures(partnership).professionals_met == 12
    assert exchange_years(partnership) == [2016, 2017]


def test_the_exchanges_are_counted_by_strand_kind_and_direction(partnership):
    elderly = StrandFactory(partnership=partnership, short_name_fr="Âgés")
    youth = StrandFactory(partnership=partnership, short_name_fr="Jeunesse")
    ExchangeFactory(strands=[elderly, youth])
    ExchangeFactory(strands=[elderly], kind=Exchange.Kind.WORKSHOP)
    ExchangeFactory(host_territory=bignona(), visiting_territory=savoie())
    ExchangeFactory(visiting_territory=None, kind=Exchange.Kind.WORKSHOP)
    ExchangeFactory(visiting_territory=savoie())  # visiting its own host: local too

    with translation.override("en"):
        figures = key_figures(partnership, 2016)
        by_kind = {str(label): n for label, n in figures.by_kind}

    assert [(s.short_name, n) for s, n in figures.by_strand] == [("Âgés", 2), ("Jeunesse", 1)]
    assert by_kind == {"Field visit": 3, "Workshop": 2}
    directions = {
        (d.visiting and d.visiting.slug, d.host.slug): d.count for d in figures.by_direction
    }
    assert directions == {
        ("bignona", "savoie"): 2,
        ("savoie", "bignona"): 1,
        (None, "bignona"): 0,
        (None, "savoie"): 2,
    }
