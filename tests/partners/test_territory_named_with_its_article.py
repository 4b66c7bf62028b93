"""A French sentence names Savoie with its article (« Questionnements pour la Savoie ») and
Bignona without; an English one names both bare (issue 23, item 9)."""

import pytest
from django.template import Context, Template
from django.utils import translation

from tests.factories import bignona, savoie

pytestmark = pytest.mark.django_db

HEAD = Template("{% load site %}{% for t in territories %}[{{ t|named }}]{% endfor %}")


def test_french_names_savoie_with_its_article_and_bignona_without():
    territories = [savoie(), bignona()]
    territories[0].article_fr = "la"
    territories[0].save()

    with translation.override("fr"):
        french = HEAD.render(Context({"territories": territories}))
    with translation.override("en"):
        english = HEAD.render(Context({"territories": territories}))

    assert french == "[la Savoie][Bignona]"
    assert english == "[Savoie][Bignona]"
