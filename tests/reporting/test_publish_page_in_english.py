"""An administrator reading the publish page in English finds each exchange under its English
title, and under its French one while it has none."""

import html

import pytest

from tests.factories import ExchangeFactory, bignona
from tests.reporting_factories import RestitutionFactory, year_of_exchanges

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_publishing")]


@pytest.fixture
def year_with_holes(partnership):
    """2016 with an exchange translated into English that Bignona has not given its view on,
    and another one not translated at all."""
    exchange, *_ = year_of_exchanges(partnership)
    exchange.title_fr = "Visite des foyers de Chambéry"
    exchange.title_en = "Visit to the Chambéry care homes"
    exchange.save()
    exchange.cross_views.filter(territory=bignona()).delete()
    ExchangeFactory(
        partnership=partnership,
        title_fr="Visite sans volet",
        title_en="",
        start_date=exchange.start_date,
        end_date=exchange.start_date,
    )
    RestitutionFactory(partnership=partnership)


def test_the_english_publish_page_names_exchanges_in_english(
    client, administrator, year_with_holes
):
    client.force_login(administrator)

    response = client.get("/en/restitutions/2016/publish/")

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "« Visit to the Chambéry care homes »: no perspective from Bignona." in page
    assert "Visite des foyers de Chambéry" not in page
    assert "« Visite sans volet »: no perspective from Savoie." in page  # French, the fallback


def test_the_french_publish_page_keeps_the_french_titles(client, administrator, year_with_holes):
    client.force_login(administrator)

    page = html.unescape(client.get("/fr/restitutions/2016/publish/").content.decode())

    assert "« Visite des foyers de Chambéry » : pas de regard croisé de Bignona." in page
    assert "Visit to the Chambéry care homes" not in page
