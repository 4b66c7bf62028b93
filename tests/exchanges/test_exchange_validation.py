"""Every invalid input gets a clear, translated message next to its field, and keeps the input."""

import datetime

import pytest
from django.utils import timezone

from exchanges.models import Exchange
from tests.factories import ExchangeFactory, exchange_form_data

pytestmark = pytest.mark.django_db

FAR_AHEAD = (timezone.localdate() + datetime.timedelta(days=800)).isoformat()

INVALID_INPUTS = [
    pytest.param(
        {"start_date": "2016-05-12", "end_date": "2016-05-10"},
        "end_date",
        "L’échange ne peut pas finir avant d’avoir commencé.",
        "The exchange cannot end before it starts.",
        id="end-before-start",
    ),
    pytest.param(
        {"professionals_met_count": "-3"},
        "professionals_met_count",
        "Un décompte ne peut pas être négatif.",
        "A count cannot be negative.",
        id="negative-count",
    ),
    pytest.param(
        {"elected_officials_count": "-1"},
        "elected_officials_count",
        "Un décompte ne peut pas être négatif.",
        "A count cannot be negative.",
        id="negative-elected-officials",
    ),
    pytest.param(
        {"start_date": FAR_AHEAD, "end_date": FAR_AHEAD},
        "start_date",
        "Cette date est trop loin dans le futur",
        "This date is too far in the future",
        id="far-future",
    ),
    pytest.param(
        {"title_fr": "  "},
        "title_fr",
        "Donnez un titre à l’échange, en français.",
        "Give the exchange a title, in French.",
        id="empty-title",
    ),
    pytest.param(
        {"start_date": "10/05/2016x"},
        "start_date",
        "Saisissez une date valide.",
        "Enter a valid date.",
        id="not-a-date",
    ),
]


@pytest.mark.parametrize(("changes", "field", "message_fr", "message_en"), INVALID_INPUTS)
def test_an_invalid_new_exchange_is_refused_with_its_message_and_keeps_the_input(
    client, officer_savoie, partnership, changes, field, message_fr, message_en
):
    client.force_login(officer_savoie)
    typed = exchange_form_data(summary_fr="Un long résumé tapé sur un téléphone.", **changes)

    response = client.post("/en/exchanges/new/", typed)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message_en in error for error in errors[field])
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert "Un long résumé tapé sur un téléphone." in html
    assert 'value="Chambéry"' in html
    assert Exchange.objects.count() == 0


@pytest.mark.parametrize(("changes", "field", "message_fr", "message_en"), INVALID_INPUTS)
def test_an_invalid_change_is_refused_in_french_and_keeps_the_input(
    client, officer_savoie, partnership, changes, field, message_fr, message_en, settings
):
    exchange = ExchangeFactory(title_fr="Visite")
    client.force_login(officer_savoie)
    typed = exchange_form_data(exchange, place="Albertville", **changes)

    response = client.post(f"/fr/exchanges/{exchange.pk}/edit/", typed)

    assert response.status_code == 200
    html = response.content.decode()
    errors = " ".join(response.context["form"].errors[field])
    assert message_en in errors or message_fr in errors
    assert 'value="Albertville"' in html
    exchange.refresh_from_db()
    assert exchange.place == "Chambéry"
    assert exchange.title_fr == "Visite"


def test_a_one_day_exchange_in_a_year_is_accepted(client, officer_savoie, partnership):
    client.force_login(officer_savoie)
    soon = (timezone.localdate() + datetime.timedelta(days=300)).isoformat()

    response = client.post("/fr/exchanges/new/", exchange_form_data(start_date=soon, end_date=soon))

    assert response.status_code == 302
