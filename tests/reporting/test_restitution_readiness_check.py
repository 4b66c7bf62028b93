"""An administrator publishing the year first sees what the edition still lacks (each missing
cross view by exchange and side, parts not yet translated, an empty introduction or conclusion,
exchanges on no strand); with anything listed, publishing needs it acknowledged, and the
version records what was acknowledged."""

import html

import pytest

from reporting.models import RestitutionVersion
from tests.factories import ExchangeFactory, bignona
from tests.reporting_factories import RestitutionFactory, year_of_exchanges

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_publishing")]

URL = "/fr/restitutions/2016/publish/"


@pytest.fixture
def year_with_holes(partnership):
    """2016 with an exchange Bignona has not given its view on, on no strand, untranslated;
    and a restitution without conclusion."""
    exchange, *_ = year_of_exchanges(partnership)
    exchange.cross_views.filter(territory=bignona()).delete()
    lonely = ExchangeFactory(
        partnership=partnership,
        title_fr="Visite sans volet",
        title_en="",
        start_date=exchange.start_date,
        end_date=exchange.start_date,
    )
    lonely.strands.clear()
    RestitutionFactory(partnership=partnership, conclusion_fr="", conclusion_en="")
    return exchange, lonely


def test_the_check_lists_the_holes_by_exchange_and_side(client, administrator, year_with_holes):
    exchange, _lonely = year_with_holes
    client.force_login(administrator)

    response = client.get(URL)

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert f"« {exchange.title_fr} » : pas de regard croisé de Bignona." in page
    assert "« Visite sans volet » : pas de regard croisé de la Savoie." in page
    assert "« Visite sans volet » : rattaché à aucun volet." in page
    assert "« Visite sans volet » : pas encore traduit en anglais." in page
    assert "La conclusion est vide." in page
    assert 'name="acknowledge"' in page
    assert not RestitutionVersion.objects.exists()


# session, user with profile, partnership, restitution; then the edition's content as the draft
# reads it: territories, key figures (3 + strands), the year's exchanges with their strands,
# questionings, cross views, recommendations and photos, roles, funding, paired questionings
# (4), SDGs, lessons, next year's work tracks, public contacts, the territories' specific
# objectives (the results chapter; its figures come from reads above). The same for 2 or 22
# holes.
READINESS_QUERIES = 38


@pytest.mark.parametrize("more_exchanges_with_holes", [0, 20])
def test_the_check_costs_a_fixed_number_of_queries(
    client,
    administrator,
    partnership,
    year_with_holes,
    django_assert_num_queries,
    more_exchanges_with_holes,
):
    for _ in range(more_exchanges_with_holes):  # no strand, no cross view, no English title
        ExchangeFactory(partnership=partnership, title_en="")
    client.force_login(administrator)

    with django_assert_num_queries(READINESS_QUERIES):  # was at most 30: now pinned
        response = client.get(URL)

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert page.count(": rattaché à aucun volet.") == 1 + more_exchanges_with_holes


def test_publishing_with_holes_requires_acknowledgment(client, administrator, year_with_holes):
    client.force_login(administrator)
    shown = client.get(URL).context["form"]["shown"].value()

    response = client.post(URL, {"shown": shown})

    assert response.status_code == 200
    assert "Cochez cette case pour publier malgré les manques" in response.content.decode()
    assert not RestitutionVersion.objects.exists()


def test_acknowledged_holes_are_published_and_recorded(client, administrator, year_with_holes):
    client.force_login(administrator)
    shown = client.get(URL).context["form"]["shown"].value()

    response = client.post(URL, {"shown": shown, "acknowledge": "on"})

    assert response.status_code == 302
    version = RestitutionVersion.objects.get()
    assert version.status == "done"
    keys = {gap["key"] for gap in version.acknowledged_gaps}
    assert set(shown.split()) == keys
    assert any(key.startswith("cross_view:") for key in keys)


def test_a_hole_appearing_after_the_check_is_shown_before_publishing(
    client, administrator, year_with_holes
):
    client.force_login(administrator)
    shown = client.get(URL).context["form"]["shown"].value()
    exchange, _lonely = year_with_holes
    exchange.cross_views.all().delete()  # Savoie's view goes too, after the check

    response = client.post(URL, {"shown": shown, "acknowledge": "on"})

    assert response.status_code == 302
    assert response.url == URL
    assert not RestitutionVersion.objects.exists()


def test_a_year_without_holes_publishes_at_once(client, administrator, partnership):
    year_of_exchanges(partnership)
    RestitutionFactory(partnership=partnership)
    client.force_login(administrator)
    assert client.get(URL).context["gaps"] == []

    response = client.post(URL)

    assert response.status_code == 302
    assert RestitutionVersion.objects.get().acknowledged_gaps == []
