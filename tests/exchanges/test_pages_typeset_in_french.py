"""A French reader of an exchange's page and of the paired questionings reads French
typography, set by rule over the page's text (core.typography): a no-break space before « : »,
a narrow one before « ; » and « ? », whatever the data typed, in the text and in a photo's
alternative text. An English reader gets none."""

import pytest

from tests.factories import (
    AttachmentFactory,
    CrossThemeFactory,
    ExchangeFactory,
    QuestioningFactory,
    TopicFactory,
    WorkTrackFactory,
)

pytestmark = pytest.mark.django_db

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.fixture
def exchange(partnership):
    exchange = ExchangeFactory(
        partnership=partnership,
        title_fr="Visite : les EHPAD",
        title_en="Visit: the care homes",
        summary_fr="Deux visites; une rencontre.",
        summary_en="Two visits; one meeting.",
    )
    theme = CrossThemeFactory(partnership=partnership, name_fr="Vieillir", name_en="Ageing")
    topic = TopicFactory(theme=theme, name_fr="Approche globale", name_en="Whole approach")
    questioning = QuestioningFactory(
        topic=topic, question_fr="Comment soutenir les aidants?", question_en="How to help?"
    )
    WorkTrackFactory(questioning=questioning, title_fr="Former; accompagner", title_en="Train")
    exchange.questionings.add(questioning)
    return exchange


def test_an_exchange_page_is_typeset_in_french_only(client, exchange, officer_savoie):
    client.force_login(officer_savoie)

    french = client.get(f"/fr/exchanges/{exchange.pk}/").content.decode()
    english = client.get(f"/en/exchanges/{exchange.pk}/").content.decode()

    assert f"Approche globale{NBSP}:</strong>" in french
    assert f"Visite{NBSP}: les EHPAD" in french
    assert f"Deux visites{NNBSP}; une rencontre." in french
    assert f"les aidants{NNBSP}?" in french
    assert "Whole approach:</strong>" in english
    assert "Two visits; one meeting." in english
    assert f"{NBSP}:" not in english
    assert f"{NNBSP};" not in english


def test_the_questionings_page_is_typeset_in_french_only(client, exchange):
    french = client.get("/fr/questionings/").content.decode()
    english = client.get("/en/questionings/").content.decode()

    assert f"les aidants{NNBSP}?" in french
    assert f"Former{NNBSP}; accompagner" in french
    assert f"{NBSP}:" not in english
    assert f"{NNBSP};" not in english


def test_a_photos_alternative_text_is_typeset_in_french_only(client, exchange, officer_savoie):
    AttachmentFactory(
        exchange=exchange,
        with_thumbnail=True,
        caption_fr="Atelier : les aidants?",
        caption_en="Workshop: carers?",
    )
    client.force_login(officer_savoie)

    french = client.get(f"/fr/exchanges/{exchange.pk}/").content.decode()
    english = client.get(f"/en/exchanges/{exchange.pk}/").content.decode()

    # A screen reader reads the alternative text as the page's text: typeset the same way.
    assert f'alt="Atelier{NBSP}: les aidants{NNBSP}?"' in french
    assert 'alt="Workshop: carers?"' in english
