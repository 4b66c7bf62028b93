"""The HTML edition costs a fixed number of queries, whatever the number of exchanges."""

import datetime

import pytest

from exchanges.models import PolicyChange
from exchanges.selectors import key_figures
from partners.models import SpecificObjective
from reporting.objectives import objective_results
from reporting.services import restitution_publish
from tests.factories import AttachmentFactory, bignona, savoie
from tests.reporting_factories import (
    DUMMY_TASKS,
    RestitutionFactory,
    year_of_exchanges,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_publishing")]


@pytest.mark.parametrize("exchanges", [2, 25])
def test_the_live_draft_costs_the_same_queries_whatever_the_number_of_exchanges(
    client, partnership, officer_savoie, django_assert_num_queries, exchanges
):
    for number, exchange in enumerate(year_of_exchanges(partnership, exchanges=exchanges)):
        AttachmentFactory(exchange=exchange, for_restitution=True, with_thumbnail=True)
        # As many changes on the territories as exchanges, each led to by its exchange.
        PolicyChange.objects.create(
            partnership=partnership,
            territory=savoie() if number % 2 else bignona(),
            title_fr=f"Changement {number}",
            date=datetime.date(2016, 6, 1),
            stage=PolicyChange.Stage.DECIDED,
            origin=PolicyChange.Origin.OTHER,
        ).exchanges.add(exchange)
    RestitutionFactory(partnership=partnership)
    client.force_login(officer_savoie)

    # session, user with profile, partnership, restitution, published file (none): 5; then
    # the content: territories, key figures (3 + strands), the year's exchanges with their
    # strands, questionings, cross views and recommendations (5), roles, funding, paired
    # questionings (4), SDGs, the year's lessons, next year's work tracks, public contacts, the
    # photos chosen for the restitution: 21; the focus chapter's changes with their exchanges
    # (2); the programme's years (1) and the index of every year as the progress page reads it
    # (territories, key figures of the years (3 + strands), published years, lines of action
    # by year, both views, change counts, changes): 10; the specific objectives (1: none here,
    # so nothing more is read); the draft's size (whether it renders here): 1.
    with django_assert_num_queries(41):
        response = client.get("/fr/restitutions/2016/")

    assert response.status_code == 200
    assert response.content.decode().count('class="exchange"') == exchanges
    assert response.content.decode().count('class="photo"') == exchanges


@pytest.mark.parametrize("exchanges", [2, 25])
def test_a_published_edition_costs_the_same_queries_whatever_the_number_of_exchanges(
    client, partnership, administrator, elected_official, django_assert_num_queries, exchanges
):
    year_of_exchanges(partnership, exchanges=exchanges)
    restitution = RestitutionFactory(partnership=partnership)
    restitution_publish(restitution=restitution, user=administrator, background=False)
    client.force_login(elected_official)

    # session, user with profile, partnership, restitution, the published file with its version
    with django_assert_num_queries(5):
        response = client.get("/en/restitutions/2016/")

    assert response.status_code == 200


@pytest.mark.parametrize("exchanges", [2, 25])
def test_the_list_costs_the_same_queries_whatever_the_data(
    client, partnership, officer_savoie, django_assert_num_queries, exchanges
):
    year_of_exchanges(partnership, exchanges=exchanges)
    RestitutionFactory(partnership=partnership)
    client.force_login(officer_savoie)

    # session, user with profile and the content's version, partnership, restitutions,
    # versions, years of exchanges, the navigation's count of cross views to write
    with django_assert_num_queries(7):
        assert client.get("/fr/restitutions/").status_code == 200


@pytest.mark.parametrize("exchanges", [3, 25])
def test_asking_for_a_large_draft_costs_the_same_queries_whatever_the_number_of_exchanges(
    client, settings, monkeypatch, partnership, officer_savoie, django_assert_num_queries, exchanges
):
    settings.TASKS = DUMMY_TASKS
    monkeypatch.setattr("reporting.drafts.IN_REQUEST_MAX_EXCHANGES", 2)  # every year is large
    year_of_exchanges(partnership, exchanges=exchanges)
    RestitutionFactory(partnership=partnership)
    client.force_login(officer_savoie)

    # session, user with profile, partnership, restitution, published file (none), the
    # draft's size: 6; stale renderings given up (2 updates), the same draft in progress, the
    # user's, the places taken, the new rendering (savepoint, insert, release), its task
    # (django-tasks-db: none with the dummy backend), its task id, read again: 10.
    with django_assert_num_queries(16):
        response = client.get("/fr/restitutions/2016/")

    assert response.status_code == 302


@pytest.mark.parametrize("exchanges", [2, 20])
def test_the_results_cost_four_queries_whatever_the_data(
    partnership, django_assert_num_queries, exchanges
):
    year_of_exchanges(partnership, exchanges=exchanges)
    for territory in (savoie(), bignona()):
        SpecificObjective.objects.create(
            partnership=partnership, territory=territory, text_fr="Un objectif."
        )
        for number in range(exchanges):
            PolicyChange.objects.create(
                partnership=partnership,
                territory=territory,
                title_fr=f"Changement {number}",
                date=datetime.date(2016, 6, 1),
                stage=PolicyChange.Stage.DECIDED,
                origin=PolicyChange.Origin.OTHER,
            )
    territories = [savoie(), bignona()]

    figures = key_figures(partnership, 2016, territories=territories)
    # objectives, the year's changes, the lines of action's stages (the exchanges: the figures)
    with django_assert_num_queries(3):
        results = objective_results(partnership, territories, 2016, figures)

    assert [len(r.changes) for r in results] == [exchanges, exchanges]
    assert sum(r.hosted for r in results) == exchanges
