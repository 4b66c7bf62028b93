"""Content not yet translated shows the French text with a discreet marker, never a hole."""

import re

import pytest

from tests.reporting_factories import RestitutionFactory, year_of_exchanges

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_publishing")]


def test_the_english_edition_shows_french_marked_as_not_yet_translated(
    client, partnership, officer_bignona
):
    exchange, *_ = year_of_exchanges(partnership, exchanges=1)
    exchange.title_en = ""
    exchange.save()
    RestitutionFactory(partnership=partnership, introduction_en="", conclusion_en="Done.")
    client.force_login(officer_bignona)

    html = client.get("/en/restitutions/2016/").getvalue().decode()

    assert '<div lang="fr" class="fallback"><p>En 2016, le regard croisé a pris corps' in html
    assert '<span lang="fr">Visite d’un EHPAD n° 1</span>' in html
    assert html.count("not yet translated") >= 2
    assert "<p>Done.</p>" in html


def test_the_french_edition_never_shows_the_marker(client, partnership, officer_savoie):
    exchange, *_ = year_of_exchanges(partnership, exchanges=1)
    exchange.title_en = ""
    exchange.save()
    RestitutionFactory(partnership=partnership, introduction_en="")
    client.force_login(officer_savoie)

    html = client.get("/fr/restitutions/2016/").getvalue().decode()

    assert "not yet translated" not in html
    assert 'class="untranslated"' not in html


def test_the_bilingual_edition_has_both_halves_in_their_language(
    client, partnership, officer_savoie
):
    year_of_exchanges(partnership, exchanges=1)
    RestitutionFactory(partnership=partnership)
    client.force_login(officer_savoie)

    html = client.get("/fr/restitutions/2016/?edition=bilingual").getvalue().decode()

    # Side by side, chapter by chapter: each column in its language.
    assert html.count('class="part column column-fr" lang="fr"') == html.count(
        'class="part column column-en" lang="en"'
    )
    columns = re.findall(
        r'class="part column column-(fr|en)" lang="\1"(.*?)</section>\s*</div>', html, re.S
    )
    french = "".join(text for language, text in columns if language == "fr")
    english = "".join(text for language, text in columns if language == "en")
    assert "Visite d’un EHPAD n° 1" in french
    assert "Visite d’un EHPAD" not in english
    assert "Visit of a nursing home no. 1" in english
    assert 'id="en-exchange-' in english
    assert 'id="fr-exchange-' in french
