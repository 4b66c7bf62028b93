"""Property: whatever the visits, the key figures are their sum and the union of their places."""

import pytest

from exchanges.models import Exchange
from exchanges.selectors import key_figures
from tests.factories import EstablishmentFactory, ExchangeFactory

hypothesis = pytest.importorskip("hypothesis")  # not in the dev dependencies everywhere yet
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("nothing_kept")]


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    visits=st.lists(
        st.tuples(st.integers(0, 60), st.sets(st.integers(0, 4), max_size=4)), max_size=6
    )
)
def test_the_figures_are_the_sum_of_the_visits_and_the_union_of_their_places(partnership, visits):
    Exchange.objects.all().delete()
    places = EstablishmentFactory.create_batch(5)
    for professionals, visited in visits:
        ExchangeFactory(
            professionals_met_count=professionals,
            establishments=[places[i] for i in visited],
        )

    figures = key_figures(partnership, 2016)

    assert figures.exchanges == len(visits)
    assert figures.professionals_met == sum(professionals for professionals, _ in visits)
    assert figures.establishments_visited == len(set().union(*(v for _, v in visits)))
