"""A French sentence names Savoie with its article (« Questionnements pour la Savoie ») and
Bignona without; an English one names both bare (issue 23, item 9). After « de » and « à »,
« le » and « les » contract (« du Nord », « aux Landes »), « la » and « l’ » do not."""

import pytest
from django.template import Context, Template
from django.utils import translation

from core.typography import contract_articles
from partners.models import territory_sentence
from tests.factories import TerritoryFactory, bignona, savoie

pytestmark = pytest.mark.django_db

HEAD = Template("{% load site %}{% for t in territories %}[{{ t|named }}]{% endfor %}")


def test_french_names_savoie_with_its_article_and_bignona_without():
    territories = [savoie(), bignona()]

    with translation.override("fr"):
        french = HEAD.render(Context({"territories": territories}))
    with translation.override("en"):
        english = HEAD.render(Context({"territories": territories}))

    assert french == "[la Savoie][Bignona]"
    assert english == "[Savoie][Bignona]"


@pytest.mark.parametrize(
    ("article", "name", "sentence"),
    [
        ("la", "Savoie", "Changements enregistrés par la Savoie ; délégation de la Savoie"),
        ("", "Bignona", "Changements enregistrés par Bignona ; délégation de Bignona"),
        ("l’", "Ain", "Changements enregistrés par l’Ain ; délégation de l’Ain"),
        ("le", "Nord", "Changements enregistrés par le Nord ; délégation du Nord"),
        ("les", "Landes", "Changements enregistrés par les Landes ; délégation des Landes"),
    ],
)
def test_a_french_sentence_contracts_the_article_after_de(article, name, sentence):
    territory = TerritoryFactory(slug=name.lower(), name_fr=name, article_fr=article)

    with translation.override("fr"):
        text = territory_sentence(
            "Changements enregistrés par %(t)s ; délégation de %(t)s", t=territory
        )
    with translation.override("en"):
        english = territory_sentence("Changes recorded by %(t)s", t=territory)

    assert text == sentence
    assert english == f"Changes recorded by {name}"


@pytest.mark.parametrize(
    ("article", "name", "sentence"),
    [
        ("la", "Savoie", "une visite à la Savoie"),
        ("l’", "Ain", "une visite à l’Ain"),
        ("le", "Nord", "une visite au Nord"),
        ("les", "Landes", "une visite aux Landes"),
        ("", "Bignona", "une visite à Bignona"),
    ],
)
def test_a_french_sentence_contracts_the_article_after_a(article, name, sentence):
    territory = TerritoryFactory(slug=name.lower(), name_fr=name, article_fr=article)

    with translation.override("fr"):
        assert territory_sentence("une visite à %(t)s", t=territory) == sentence


def test_a_pronoun_le_before_a_verb_is_no_article():
    assert contract_articles("il s’agit de le faire, à les voir") == (
        "il s’agit de le faire, à les voir"
    )
