"""A Savoie officer logs a field visit in the browser and the observatory's figures follow."""

import pytest
from django.utils import translation

from exchanges.models import Exchange
from exchanges.selectors import exchange_history, key_figures
from tests.factories import (
    CrossViewFactory,
    EstablishmentFactory,
    EstablishmentKindFactory,
    ExchangeFactory,
    StrandFactory,
    bignona,
    exchange_form_data,
)

pytestmark = pytest.mark.django_db


def test_an_officer_logs_a_visit_with_two_establishments_and_sees_the_figures_change(
    client, officer_savoie, partnership
):
    ehpad = EstablishmentFactory(name_fr="EHPAD Les Jardins")
    ime = EstablishmentFactory(name_fr="IME Le Chaudanne")
    strand = StrandFactory(partnership=partnership, short_name_fr="Personnes âgées")
    client.force_login(officer_savoie)
    before = client.get("/fr/?year=2016").content.decode()

    response = client.post(
        "/fr/exchanges/new/",
        exchange_form_data(
            professionals_met_count="14", establishments=[ehpad.pk, ime.pk], strands=[strand.pk]
        ),
    )

    exchange = Exchange.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/fr/exchanges/{exchange.pk}/"
    assert exchange.title_fr == "Visite des EHPAD de Chambéry"
    assert exchange.created_by == officer_savoie
    assert exchange.updated_by == officer_savoie
    assert set(exchange.establishments.all()) == {ehpad, ime}
    assert exchange.version == 1
    figures = key_figures(partnership, 2016)
    assert (figures.professionals_met, figures.establishments_visited) == (14, 2)
    assert dict((s.short_name, n) for s, n in figures.by_strand) == {"Personnes âgées": 1}
    after = client.get("/fr/?year=2016").content.decode()
    assert "<dd>14</dd>" in after
    assert "<dd>14</dd>" not in before


def test_the_detail_page_shows_the_visit_and_both_sides_of_the_cross_view(
    client, officer_savoie, partnership
):
    exchange = ExchangeFactory(
        title_fr="Atelier mixité", establishments=[EstablishmentFactory(name_fr="Foyer Clair")]
    )
    CrossViewFactory(exchange=exchange, text_fr="La Savoie retient la palabre.")
    CrossViewFactory(exchange=exchange, territory=bignona(), text_fr="Bignona retient l'EHPAD.")
    client.force_login(officer_savoie)

    html = client.get(f"/fr/exchanges/{exchange.pk}/").content.decode()

    assert "Atelier mixité" in html
    assert "Foyer Clair" in html
    assert "La Savoie retient la palabre." in html
    assert "Bignona retient l’EHPAD." in html
    assert f'href="/fr/exchanges/{exchange.pk}/edit/"' in html


def test_an_officer_changes_their_visit_and_the_history_keeps_who_changed_what(
    client, officer_savoie, partnership
):
    exchange = ExchangeFactory(title_fr="Visite", professionals_met_count=4)
    client.force_login(officer_savoie)

    response = client.post(
        f"/fr/exchanges/{exchange.pk}/edit/",
        exchange_form_data(exchange, title_fr="Visite des foyers", professionals_met_count="6"),
    )

    assert response.status_code == 302
    exchange.refresh_from_db()
    assert (exchange.title_fr, exchange.professionals_met_count) == ("Visite des foyers", 6)
    assert exchange.version == 2
    assert exchange.updated_by == officer_savoie
    with translation.override("en"):
        latest = exchange_history(exchange)[0]
    assert latest.user == officer_savoie
    assert [(c.field, c.old, c.new) for c in latest.changes] == [
        ("title [fr]", "Visite", "Visite des foyers"),
        ("professionals met", "4", "6"),
    ]


def test_a_saved_form_tells_the_browser_to_forget_its_draft(client, officer_savoie, partnership):
    client.force_login(officer_savoie)

    response = client.post("/fr/exchanges/new/", exchange_form_data(), follow=True)

    html = response.content.decode()
    assert 'data-draft-saved="/fr/exchanges/new/"' in html
    assert "js/drafts.js" in html
    again = client.get(response.redirect_chain[-1][0]).content.decode()
    assert "data-draft-saved" not in again
    assert "js/drafts.js" not in again


def test_the_form_pages_keep_drafts_with_a_deferred_script_and_no_inline_code(
    client, officer_savoie, partnership
):
    client.force_login(officer_savoie)

    html = client.get("/fr/exchanges/new/").content.decode()

    assert 'data-draft-key="/fr/exchanges/new/"' in html
    assert 'src="/static/js/drafts.js" defer' in html
    assert "<script>" not in html
    assert "style=" not in html
    assert " onclick" not in html
    assert html.index('name="title_fr"') < html.index('name="title_en"')


def test_an_officer_adds_a_missing_establishment_and_goes_back_to_the_form(
    client, officer_savoie, partnership
):
    client.force_login(officer_savoie)

    response = client.post(
        "/fr/exchanges/establishments/new/?next=/fr/exchanges/new/",
        {
            "name_fr": "EHPAD du Lac",
            "kind": EstablishmentKindFactory().pk,
            "territory": officer_savoie.profile.territory_id,
            "town": "Aix-les-Bains",
            "next": "/fr/exchanges/new/",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/fr/exchanges/new/"
    form = client.get("/fr/exchanges/new/").content.decode()
    assert "EHPAD du Lac (Aix-les-Bains)" in form
