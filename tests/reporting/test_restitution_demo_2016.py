"""The published 2016 demo restitution tells the document's figures, in every edition."""

import pytest
from django.core.management import call_command

from reporting.models import Restitution, RestitutionVersion
from tests.reporting_factories import html_text, pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.real_pdf]

EXPECTED = {
    "fr": [
        "30 000 €",  # total funding
        "20 000 €",
        "Ministère des Affaires étrangères et du Développement international",
        "Établissements sociaux de Savoie",
        "Le rôle social des personnes âgées dépendantes",
        "La cohésion sociale en faveur des personnes défavorisées",
        "Comment développer le pouvoir d’agir des personnes suivies par les services sociaux ?",
        "Comment accompagner les plus défavorisées vers l’auto-emploi ?",
        "La posture d’accompagnement",
        "Bonne santé et bien-être",
        "1988",
    ],
    "en": [
        "€30,000",
        "Ministry of Foreign Affairs and International Development",
        "Social establishments of Savoie",
        "The social role of dependent elderly people",
        "How can the people supported by social services be empowered?",
        "1988",
    ],
}
EXPECTED["bilingual"] = EXPECTED["fr"] + EXPECTED["en"]


@pytest.fixture
def demo(demo_data):
    return Restitution.objects.get(year=2016)


def test_the_2016_demo_restitution_is_published_with_the_documents_figures(
    client, demo, elected_official
):
    version = demo.versions.get()
    assert (version.number, version.status) == (1, RestitutionVersion.Status.DONE)
    # The history (since 1988, June 2015) is the partnership chapter's: not repeated here.
    assert "juin 2015" not in demo.introduction_fr
    assert "June 2015" not in demo.introduction_en
    client.force_login(elected_official)

    # The document's figures: 50 professionals met, then 18 establishments visited.
    for language, path in [
        ("fr", "/fr/restitutions/2016/"),
        ("en", "/en/restitutions/2016/"),
        ("bilingual", "/fr/restitutions/2016/?edition=bilingual"),
    ]:
        raw = client.get(path).getvalue()
        assert b"<dd>50</dd>" in raw
        assert b"<dd>18</dd>" in raw
        html = html_text(raw)
        pdf_path = path.replace("2016/", "2016/pdf/")
        pdf = client.get(pdf_path)
        assert pdf["Content-Type"] == "application/pdf"
        text = pdf_text(pdf.getvalue())
        assert " 50 18 " in text
        for expected in EXPECTED[language]:
            assert expected in html, f"{expected!r} missing from the {language} HTML edition"
            assert expected in text, f"{expected!r} missing from the {language} PDF edition"


def test_loading_the_demo_again_publishes_no_second_version(demo):
    call_command("load_demo", verbosity=0)

    assert demo.versions.count() == 1
