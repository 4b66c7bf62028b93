"""The exchange form lists the establishments by territory, the exchange's own first, as light
server-rendered checkboxes with a small static script for a type-ahead search: usable on a
phone with a thousand of them."""

import re

import pytest

from exchanges.models import Establishment, Exchange
from tests.factories import (
    EstablishmentFactory,
    EstablishmentKindFactory,
    ExchangeFactory,
    bignona,
    exchange_form_data,
    savoie,
)

pytestmark = pytest.mark.django_db


def group_titles(html: str) -> list[str]:
    return re.findall(r'<p class="choice-group-title">([^<]+?)\s*<span', html)


def test_a_bignona_officer_sees_bignona_first(client, officer_bignona, partnership):
    EstablishmentFactory(name_fr="EHPAD de Chambéry", territory=savoie())
    EstablishmentFactory(name_fr="CPRS de Bignona", territory=bignona(), town="Bignona")
    client.force_login(officer_bignona)

    html = client.get("/fr/exchanges/new/").content.decode().replace("\xa0", " ")

    assert group_titles(html) == ["Bignona, qui prend part à l’échange", "Savoie"]
    assert html.index("CPRS de Bignona (Bignona)") < html.index("EHPAD de Chambéry")


def test_an_exchange_shows_its_host_then_its_delegation(client, officer_bignona, partnership):
    visit = ExchangeFactory(host_territory=savoie(), visiting_territory=bignona())
    ticked = EstablishmentFactory(name_fr="IME de Chambéry", territory=savoie())
    visit.establishments.set([ticked])
    EstablishmentFactory(name_fr="CPRS de Bignona", territory=bignona())
    client.force_login(officer_bignona)

    html = client.get(f"/fr/exchanges/{visit.pk}/edit/").content.decode().replace("\xa0", " ")

    assert group_titles(html) == [
        "Savoie, qui prend part à l’échange",
        "Bignona, qui prend part à l’échange",
    ]
    assert f'name="establishments" value="{ticked.pk}" checked>' in html
    assert "<details open>" in html  # something is ticked: the list is shown


def test_the_search_is_a_static_script_and_the_list_works_without_it(
    client, officer_savoie, partnership
):
    EstablishmentFactory()
    client.force_login(officer_savoie)

    html = client.get("/fr/exchanges/new/").content.decode()

    assert '<script src="/static/js/choice-filter.js" defer></script>' in html
    assert '<div class="choice-search" hidden>' in html  # shown by the script only
    assert "<script>" not in html
    assert " oninput" not in html


def test_ticked_establishments_are_saved(client, officer_savoie, partnership):
    places = [EstablishmentFactory(territory=savoie()) for _ in range(2)]
    client.force_login(officer_savoie)

    response = client.post(
        "/fr/exchanges/new/", exchange_form_data(establishments=[p.pk for p in places])
    )

    assert response.status_code == 302
    assert set(Exchange.objects.get().establishments.all()) == set(places)


# session, user with profile and territory, partnership, its territories, the navigation's
# count, the host and visiting territories' options, the establishments (one query for all of
# them), strands, questionings, recommendations: the same for 10 and 1 000 establishments.
FORM_QUERIES = 11


@pytest.mark.parametrize("count", [10, 1000])
def test_a_thousand_establishments_cost_one_query_and_stay_light(
    client, officer_savoie, partnership, django_assert_num_queries, count
):
    kind = EstablishmentKindFactory()
    Establishment.objects.bulk_create(
        Establishment(
            name_fr=f"Maison d'accueil numéro {n}",
            kind=kind,
            territory=savoie() if n % 2 else bignona(),
            town="Chambéry" if n % 2 else "Bignona",
        )
        for n in range(count)
    )
    client.force_login(officer_savoie)

    with django_assert_num_queries(FORM_QUERIES):
        response = client.get("/fr/exchanges/new/")

    html = response.content
    assert html.count(b'name="establishments"') == count
    # About 90 bytes an establishment (compressed by the server: a tenth of it on the wire).
    per_establishment = 100
    assert len(html) < 60_000 + per_establishment * count, len(html)


def test_the_exchange_page_names_each_visited_establishments_kind(
    client, officer_bignona, partnership
):
    place = EstablishmentFactory(name_fr="Résidence des Charmettes", town="Chambéry")
    exchange = ExchangeFactory(partnership=partnership)
    exchange.establishments.add(place)
    client.force_login(officer_bignona)

    html = client.get(f"/fr/exchanges/{exchange.pk}/").content.decode()

    assert "Résidence des Charmettes" in html
    assert "(Établissement d’hébergement pour personnes âgées dépendantes (EHPAD)" in html
