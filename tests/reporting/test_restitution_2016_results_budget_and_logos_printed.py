"""The printed 2016 editions hold what a Département's cooperation report holds (issue 23,
item 6): the results against each territory's specific objective, the budget planned against
spent with the in-kind contributions and totals per currency, and the partners' logos, the
demo's marked as stand-ins. Read back from the published PDFs (pdftotext) and HTML."""

import re

import pytest
from pypdf import PdfReader

from reporting.models import RestitutionFile
from tests.reporting_factories import pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.real_pdf]

PRINTED = {
    "fr": [
        "Résultats au regard des objectifs spécifiques",
        "Envisager davantage d'implication citoyenne dans les dispositifs sociaux",
        "Développer une action sociale de proximité et ciblée vers les plus démunis",
        "Échanges accueillis en 2016",
        "Pistes de travail fin 2016",
        "Total en euros",
        "Total en francs CFA",
        "dont en nature",
        "Ces logos sont des logos de remplacement",
    ],
    "en": [
        "Results against the specific objectives",
        "Consider greater citizen involvement in social schemes",
        "Develop local social action targeted at the most deprived",
        "Exchanges hosted in 2016",
        "Lines of action at the end of 2016",
        "Total in euros",
        "Total in CFA francs",
        "of which in kind",
        "These logos are stand-ins drawn for the demonstration",
    ],
}


@pytest.fixture(scope="module")
def published(demo_data, django_db_blocker):
    """{(edition, format): bytes} of the published 2016 files."""
    with django_db_blocker.unblock():
        files = {}
        for stored in RestitutionFile.objects.filter(version__restitution__year=2016):
            with stored.file.open("rb") as file:
                files[stored.edition, stored.format] = file.read()
        return files


def _text(pdf: bytes) -> str:
    return pdf_text(pdf).replace("\u2019", "'")


@pytest.mark.parametrize("edition", ["fr", "en"])
def test_each_edition_prints_the_results_the_budget_and_the_logos_note(published, edition):
    text = _text(published[edition, "pdf"])

    assert [words for words in PRINTED[edition] if words not in text] == []


def test_the_bilingual_edition_prints_both_languages(published):
    text = _text(published["bilingual", "pdf"])

    for language in ("fr", "en"):
        assert [words for words in PRINTED[language] if words not in text] == []


@pytest.mark.parametrize("edition", ["fr", "en", "bilingual"])
def test_the_logos_are_printed_on_the_cover_with_the_organisations_names(published, edition):
    from io import BytesIO

    cover = PdfReader(BytesIO(published[edition, "pdf"])).pages[0]
    html = published[edition, "html"].decode()

    assert len(cover.images) == 2
    alts = re.findall(r'<img src="data:image/png;base64,[^"]+" alt="([^"]+)"', html)
    assert set(alts) == {"Département de la Savoie", "Département de Bignona"}
