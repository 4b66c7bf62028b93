"""An English reader of the 2016 restitution meets the project's name, kept in French
(docs/glossary.md): printed in italics and tagged French, on screen and in the PDF's structure,
so that a screen reader reads « L'action sociale de l'autre » with a French voice. The French
edition is printed as before (issue 23, item 7)."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from reporting.content import restitution_content
from reporting.document import render_edition, restitution_html
from reporting.models import Restitution

pytestmark = [pytest.mark.django_db, pytest.mark.real_pdf]

NAME = '<i lang="fr">L’action sociale de l’autre</i>'


@pytest.fixture
def content(demo_data):
    return restitution_content(Restitution.objects.get(year=2016))


def test_the_english_edition_prints_the_projects_name_as_french(content):
    english = render_edition(content, edition="en", format="html").decode()
    french = render_edition(content, edition="fr", format="html").decode()

    assert NAME in english
    assert "L’action sociale de l’autre" in french
    assert 'lang="fr">L’action' not in french


def test_the_bilingual_edition_tags_it_in_the_english_column_only(content):
    html = render_edition(content, edition="bilingual", format="html").decode()
    english = [c for c in html.split('lang="en"')[1:] if "L’action sociale de l’autre" in c]

    assert NAME in html
    assert english


def _languages_of_the_structure(pdf: bytes) -> list[str]:
    reader = PdfReader(BytesIO(pdf))
    stack, languages = [reader.trailer["/Root"]["/StructTreeRoot"]], []
    while stack:
        node = stack.pop().get_object()
        if not hasattr(node, "get"):
            continue
        if "/Lang" in node:
            languages.append(str(node["/Lang"]))
        kids = node.get("/K")
        if kids is not None:
            kids = kids.get_object()
            stack.extend(kids if isinstance(kids, list) else [kids])
    return languages


def test_the_english_pdf_tags_the_name_french(content):
    html = restitution_html(content, edition="en", medium="print")
    pdf = render_edition(content, edition="en", format="pdf")

    assert NAME in html  # what WeasyPrint is given
    assert "fr" in _languages_of_the_structure(pdf)  # what a screen reader is told
