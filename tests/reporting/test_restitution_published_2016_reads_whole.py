"""An elected official opens the published 2016 restitution (the demo, from the source
document) as a PDF, in French, in English and bilingual, and reads the whole story of the year:
why this cooperation and why a TERRINCLUS pilot, every lesson, the contacts and photo credits;
nothing left unfinished; French set with its no-break spaces; a screen reader switches voice
between the bilingual edition's French and English. Read back from the real PDFs (pypdf)."""

import re

import pytest
from pypdf import PdfReader

from observatory.models import Lesson
from partners.models import Partnership
from reporting.models import RestitutionFile

pytestmark = [pytest.mark.django_db, pytest.mark.real_pdf]

PLACEHOLDERS = ["Pas encore rédigé", "Not written yet", "not yet translated"]


def _normalised(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text.replace("\u2019", "'")).strip()


@pytest.fixture(scope="module")
def editions(demo_data, django_db_blocker):
    """The three published PDFs of 2016, read once: {edition: (reader, text)}."""
    with django_db_blocker.unblock():
        files = RestitutionFile.objects.filter(
            version__restitution__year=2016, format="pdf"
        ).select_related("version")
        read = {}
        for stored in files:
            with stored.file.open("rb") as file:
                reader = PdfReader(file)
                text = "\n".join(page.extract_text() for page in reader.pages)
                read[stored.edition] = (reader, text)
        return read


@pytest.fixture(scope="module")
def source(demo_data, django_db_blocker):
    with django_db_blocker.unblock():
        partnership = Partnership.objects.get(slug="savoie-bignona")
        lessons = list(Lesson.objects.filter(partnership=partnership, year=2016))
        return partnership, lessons


@pytest.mark.parametrize("language", ["fr", "en"])
def test_each_edition_tells_every_lesson_and_why_it_is_a_pilot(editions, source, language):
    partnership, lessons = source
    assert len(lessons) == 11  # six facilitating factors, two stakes, three obstacles
    text = _normalised(editions[language][1])
    for lesson in lessons:
        assert _normalised(getattr(lesson, f"title_{language}")) in text
    rationale = getattr(partnership, f"pilot_rationale_{language}").strip().split("\n")[0]
    assert _normalised(rationale)[:120] in text
    assert "tiroir-caisse" in text if language == "fr" else "cash cow" in text
    assert "magali.agosti@paysdesavoiesolidaires.org" in text
    assert "Pays de Savoie Solidaires" in text


@pytest.mark.parametrize("edition", ["fr", "en", "bilingual"])
def test_no_placeholder_is_published(editions, edition):
    text = editions[edition][1]
    for placeholder in PLACEHOLDERS:
        assert placeholder not in text


def test_the_cover_names_the_partners_grammatically(editions):
    assert "Un document du Département de la Savoie et du Département de Bignona" in (
        _normalised(editions["fr"][1])
    )
    assert "Published by the Département de la Savoie and the Département de Bignona" in (
        _normalised(editions["en"][1])
    )


def test_french_text_has_no_plain_space_before_high_punctuation(editions, french_html):
    """The PDF's text layer writes a no-break space as a space (one glyph for both), so the
    PDF shows the rule by its effect: no line starts with « : ; ! ? » »; the HTML it is made
    from shows the characters themselves."""
    text = editions["fr"][1]
    assert not re.findall(r"^[:;!?»]", text, re.M)
    assert "1er février" in _normalised(text)  # the Bignona diagnostic, 1 February 2016
    body = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", "", french_html, flags=re.S)
    assert not re.findall(r" [:;!?»]", body), re.findall(r".{20} [:;!?»]", body)[:5]
    assert "\u202f?" in body
    assert "\u00a0:" in body


@pytest.fixture(scope="module")
def french_html(demo_data, django_db_blocker) -> str:
    with django_db_blocker.unblock():
        stored = RestitutionFile.objects.get(
            version__restitution__year=2016, edition="fr", format="html"
        )
        with stored.file.open("rb") as file:
            return file.read().decode()


def _languages(reader: PdfReader) -> set[str]:
    found: set[str] = set()
    root = reader.trailer["/Root"]
    stack = [root["/StructTreeRoot"]]
    seen = 0
    while stack and seen < 200_000:
        seen += 1
        node = stack.pop().get_object()
        if not hasattr(node, "get"):
            continue
        if "/Lang" in node:
            found.add(str(node["/Lang"]))
        kids = node.get("/K")
        if kids is None:
            continue
        kids = kids.get_object()
        stack.extend(kids if isinstance(kids, list) else [kids])
    return found


def test_the_bilingual_structure_tree_carries_both_languages(editions):
    reader = editions["bilingual"][0]
    assert str(reader.trailer["/Root"]["/Lang"]) == "fr"
    assert {"fr", "en"} <= _languages(reader)
    assert "en" in _languages(editions["en"][0])
