"""A title and a place are one line wherever they are shown (the list, the CSV, the PDF's
headings): line breaks typed or pasted into them, tabs and runs of spaces become one space,
through the officers' form as through the admin (the model's clean)."""

import pytest

from exchanges.models import Exchange
from tests.factories import ExchangeFactory, exchange_form_data

pytestmark = pytest.mark.django_db


def test_line_breaks_in_a_title_or_a_place_become_spaces(client, officer_savoie, partnership):
    client.force_login(officer_savoie)
    typed = exchange_form_data(
        title_fr="Visite des EHPAD\r\nde Chambéry",
        title_en="Visit\n\n\tof the nursing homes",
        place="Chambéry\r\n  Savoie\u2028France",
    )

    response = client.post("/fr/exchanges/new/", typed)

    assert response.status_code == 302
    exchange = Exchange.objects.get()
    assert exchange.title_fr == "Visite des EHPAD de Chambéry"
    assert exchange.title_en == "Visit of the nursing homes"
    assert exchange.place == "Chambéry Savoie France"


def test_the_models_clean_makes_them_one_line(partnership):
    exchange = ExchangeFactory.build(
        partnership=partnership, title_fr="Atelier\r\njeunesse", place="Bignona\n"
    )

    exchange.clean()

    assert (exchange.title_fr, exchange.place) == ("Atelier jeunesse", "Bignona")
