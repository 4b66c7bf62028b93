"""The benchmark's synthetic observatory: the totals asked for, a restitution year holding
exactly its number of exchanges, rows the pages can read, and the same data for the same seed."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count

from benchmarks.management.commands import generate_synthetic_data
from benchmarks.synthetic import Plan, generate
from exchanges.models import CrossView, Establishment, Exchange
from exchanges.selectors import exchange_years, key_figures
from partners.models import Partnership
from partners.selectors import default_partnership, partnership_territories

pytestmark = pytest.mark.django_db

SMALL = {
    "exchanges": 60,
    "partnerships": 3,
    "establishments": 30,
    "first_year": 2018,
    "years": 3,
    "restitution_year": 2019,
    "restitution_exchanges": 10,
}


def test_the_generator_makes_the_totals_asked_for():
    generate(Plan(seed=7, **SMALL))

    main = default_partnership()
    assert Partnership.objects.count() == 3
    assert Establishment.objects.count() == 30
    assert Exchange.objects.count() == 60
    assert Exchange.objects.filter(partnership=main).count() == 30  # half, by default
    assert Exchange.objects.active().filter(partnership=main, start_date__year=2019).count() == 10
    assert exchange_years(main) == [2018, 2019, 2020]
    assert CrossView.objects.exists()


def test_the_synthetic_exchanges_read_like_logged_ones():
    generate(Plan(seed=7, **SMALL))
    main = default_partnership()

    exchange = Exchange.objects.active().filter(partnership=main).first()
    territories = set(partnership_territories(main))
    assert exchange.title_fr
    assert exchange.title == exchange.title_fr
    assert exchange.host_territory in territories
    assert exchange.end_date >= exchange.start_date
    assert set(exchange.strands.all()) <= set(main.strands.all())
    assert all(view.territory in territories for view in exchange.cross_views.all())
    assert key_figures(main, 2019).exchanges == 10


def test_the_same_seed_gives_the_same_exchanges():
    assert _generated(seed=3) == _generated(seed=3)
    assert _generated(seed=3) != _generated(seed=4)


def test_the_command_refuses_a_restitution_year_outside_the_years(settings):
    settings.ALLOW_DEMO_DATA = True

    with pytest.raises(CommandError, match="restitution year"):
        call_command(
            generate_synthetic_data.Command(),
            "--exchanges=10",
            "--first-year=2018",
            "--years=2",
            "--restitution-year=2030",
            stdout=StringIO(),
        )


def _generated(*, seed: int) -> list[tuple]:
    """The exchanges generated with `seed` in an empty database (rolled back after)."""
    with transaction.atomic():
        generate(Plan(seed=seed, **SMALL))
        rows = Exchange.objects.annotate(links=Count("strands")).order_by("start_date", "title_fr")
        fingerprint = list(rows.values_list("title_fr", "start_date", "kind", "links"))
        transaction.set_rollback(True)
    return fingerprint
