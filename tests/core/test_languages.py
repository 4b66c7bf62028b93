"""French first, English second, and content falls back to French when not translated."""

import datetime

import pytest
from django.utils import translation

from tests.factories import ExchangeFactory, StrandFactory

pytestmark = pytest.mark.django_db


def test_the_site_root_sends_a_visitor_to_the_french_home(client, partnership):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_english_content_falls_back_to_french_when_not_translated(partnership):
    translated = StrandFactory(short_name_fr="Jeunesse", short_name_en="Youth")
    untranslated = StrandFactory(short_name_fr="Cohésion sociale", short_name_en="")

    with translation.override("en"):
        assert translated.short_name == "Youth"
        assert untranslated.short_name == "Cohésion sociale"
    with translation.override("fr"):
        assert translated.short_name == "Jeunesse"


def test_the_language_switcher_keeps_the_current_page_and_its_query(client, partnership):
    html = client.get("/fr/questionings/?x=1").content.decode()

    assert 'href="/en/questionings/?x=1"' in html


def test_the_interface_speaks_french_on_french_pages(client, partnership):
    html = client.get("/fr/questionings/").content.decode()

    assert 'lang="fr"' in html
    assert "Questionnements croisés" in html


def test_english_pages_write_dates_the_british_way(client, officer_savoie):
    visit = ExchangeFactory(
        start_date=datetime.date(2016, 5, 10), end_date=datetime.date(2016, 5, 12)
    )
    client.force_login(officer_savoie)

    html = client.get(f"/en/exchanges/{visit.pk}/").content.decode()

    assert "10–12 May 2016" in html  # one range, the year once
    assert "May 10, 2016" not in html
