"""An English-speaking reader of the site meets content written in French only: wherever it
shows (the exchanges, an exchange's page, the paired questionings, the home page), the French
text is there, in its own `lang="fr"` so that a screen reader reads it in French, with a
"not yet translated" marker; never an empty hole. A French reader sees no marker."""

import pytest

from tests.factories import (
    CrossThemeFactory,
    CrossViewFactory,
    ExchangeFactory,
    QuestioningFactory,
    TopicFactory,
    WorkTrackFactory,
)

pytestmark = pytest.mark.django_db

MARKER = "not yet translated"


@pytest.fixture
def french_only(partnership):
    exchange = ExchangeFactory(
        partnership=partnership,
        title_fr="Visite des EHPAD de Chambéry",
        title_en="",
        summary_fr="La délégation découvre les EHPAD.",
        summary_en="",
    )
    CrossViewFactory(exchange=exchange, text_fr="Nous retenons l’accueil.", text_en="")
    theme = CrossThemeFactory(partnership=partnership, name_fr="Vieillir chez soi", name_en="")
    topic = TopicFactory(theme=theme, name_fr="Le maintien à domicile", name_en="Home care")
    questioning = QuestioningFactory(topic=topic, question_fr="Comment soutenir les aidants ?")
    WorkTrackFactory(questioning=questioning, title_fr="Former les aidants", title_en="")
    return exchange


def test_the_exchange_page_marks_french_text_on_the_english_site(
    client, french_only, officer_savoie
):
    client.force_login(officer_savoie)

    html = client.get(f"/en/exchanges/{french_only.pk}/").content.decode()

    assert '<span lang="fr">Visite des EHPAD de Chambéry</span>' in html
    assert '<div lang="fr" class="fallback"><p>La délégation découvre les EHPAD.</p></div>' in html
    assert '<div lang="fr" class="fallback"><p>Nous retenons l’accueil.</p></div>' in html
    assert html.count(MARKER) == 3


def test_the_list_of_exchanges_marks_an_untranslated_title(client, french_only, officer_savoie):
    client.force_login(officer_savoie)

    english = client.get("/en/exchanges/").content.decode()
    french = client.get("/fr/exchanges/").content.decode()

    assert '<span lang="fr">Visite des EHPAD de Chambéry</span>' in english
    assert MARKER in english
    assert "Visite des EHPAD de Chambéry" in french
    assert MARKER not in french


def test_the_questionings_mark_each_untranslated_text_and_only_those(
    client, french_only, officer_savoie
):
    client.force_login(officer_savoie)

    html = client.get("/en/questionings/").content.decode()

    # French text on the English page is typeset as French (a narrow no-break space before « ? »)
    for text in ("Vieillir chez soi", "Comment soutenir les aidants\u202f?", "Former les aidants"):
        assert f'<span lang="fr">{text}</span>' in html
    assert "Home care" in html
    assert '<span lang="fr">Le maintien à domicile</span>' not in html
    assert html.count(MARKER) == 3
