"""The communication office reads the three published 2016 PDFs before printing 200 copies
(issue 23): no blank page, no internal note, no passage twice, table headers with their scope,
bookmarks per language, the foreword and the year at a glance, every fact of the source, and
English without the calques the glossary forbids. Read back from the real PDFs (pypdf),
rendered once for the module."""

import re
from collections import Counter
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from reporting.models import RestitutionFile

pytestmark = [pytest.mark.django_db, pytest.mark.real_pdf]

GLOSSARY = Path(__file__).resolve().parents[2] / "docs" / "glossary.md"
# Fewer characters than this on a page that is not a cover: a page left (almost) blank.
MIN_PAGE_TEXT = 300


def _normalised(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text.replace("\u2019", "'")).strip()


@pytest.fixture(scope="module")
def editions(demo_data, django_db_blocker):
    """{edition: (reader, [page texts])} for the three published PDFs of 2016."""
    with django_db_blocker.unblock():
        read = {}
        for stored in RestitutionFile.objects.filter(version__restitution__year=2016, format="pdf"):
            with stored.file.open("rb") as file:
                reader = PdfReader(BytesIO(file.read()))
                read[stored.edition] = (reader, [p.extract_text() for p in reader.pages])
        return read


@pytest.mark.parametrize("edition", ["fr", "en", "bilingual"])
def test_no_page_is_left_almost_blank_but_the_cover(editions, edition):
    _reader, pages = editions[edition]
    thin = [n for n, text in enumerate(pages[1:], start=2) if len(text.strip()) < MIN_PAGE_TEXT]
    assert thin == [], f"pages with less than {MIN_PAGE_TEXT} characters: {thin}"


INTERNAL_NOTES = [
    "n'a pas donné son regard",
    "has not given its view",
    "Aucune piste de travail",
    "No work track",
    "SHA-256",
    "Version 1",
    "publiée le",
    "published on",
    "Crédits photos",
    "Photo credits",  # the demo prints no photo
    "présenté plus haut",
    "told above",
]


@pytest.mark.parametrize("edition", ["fr", "en", "bilingual"])
def test_no_internal_note_is_printed(editions, edition):
    text = _normalised("\n".join(editions[edition][1]))
    assert [note for note in INTERNAL_NOTES if note in text] == []


@pytest.mark.parametrize("edition", ["fr", "en"])
def test_no_long_sentence_is_printed_twice(editions, edition):
    text = _normalised(" ".join(editions[edition][1]))
    sentences = [s.strip() for s in re.split(r"(?<=[.!?»”])\s+", text) if len(s.strip()) >= 80]
    assert [s for s, n in Counter(sentences).items() if n > 1] == []


def _structure(reader: PdfReader):
    stack = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if not hasattr(node, "get"):
            continue
        yield node
        kids = node.get("/K")
        if kids is not None:
            kids = kids.get_object()
            stack.extend(kids if isinstance(kids, list) else [kids])


@pytest.mark.parametrize("edition", ["fr", "bilingual"])
def test_every_table_header_says_its_scope(editions, edition):
    headers = [n for n in _structure(editions[edition][0]) if n.get("/S") == "/TH"]
    assert headers
    scopes = Counter(str(n["/A"].get_object().get("/Scope")) for n in headers)
    assert set(scopes) <= {"/Row", "/Column"}
    assert scopes["/Row"]
    assert scopes["/Column"]


def test_the_bilingual_bookmarks_are_one_tree_per_language(editions):
    outline = editions["bilingual"][0].outline
    roots = [item.title for item in outline if not isinstance(item, list)]
    assert roots == ["Français", "English"]
    french, english = [item for item in outline if isinstance(item, list)][:2]
    french_titles = [item.title for item in french if not isinstance(item, list)]
    english_titles = [item.title for item in english if not isinstance(item, list)]
    assert "Avant-propos" in french_titles
    assert "Foreword" in english_titles
    assert "Foreword" not in french_titles
    assert "Contacts" in english_titles
    assert len(french_titles) == len(english_titles)
    # No count in a bookmark (« …dépendantes 6 échanges »).
    assert not [
        t for t in french_titles + english_titles if re.search(r"\d+ (échanges?|exchanges?)", t)
    ]


def test_the_bilingual_edition_sets_each_chapter_on_one_page_in_both_languages(editions):
    reader, pages = editions["bilingual"]
    assert reader.pages[1].mediabox.width > reader.pages[1].mediabox.height  # landscape spreads
    opening = [n for n, text in enumerate(pages) if "Avant-propos" in text and "Foreword" in text]
    assert opening
    assert opening[-1] > 1
    assert any("Sommaire" in text and "Contents" in text for text in pages[:3])


# What must share a page: a lesson's title and its text (the title was alone at the foot of a
# page), and in the bilingual edition the two columns of the conclusion.
ON_ONE_PAGE = {
    "fr": [("Regard des partenaires de TERRINCLUS sur le programme", "Coopérer entre territoires")],
    "en": [("Traditional mental representations", "These representations must be challenged")],
    "bilingual": [
        ("Regard des partenaires de TERRINCLUS sur le programme", "Coopérer entre territoires"),
        ("Traditional mental representations", "These representations must be challenged"),
        ("Trois thématiques principales", "Three main themes"),
    ],
}


@pytest.mark.parametrize("edition", ["fr", "en", "bilingual"])
def test_a_heading_is_never_left_at_a_page_foot_without_its_text(editions, edition):
    pages = [_normalised(text) for text in editions[edition][1]]
    apart = [
        (first, second)
        for first, second in ON_ONE_PAGE[edition]
        if not any(first in page and second in page for page in pages)
    ]
    assert apart == []


def test_the_languages_are_in_the_metadata(editions):
    metadata = editions["bilingual"][0].trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"<dc:language><rdf:Bag><rdf:li>fr</rdf:li><rdf:li>en</rdf:li>" in metadata


SOURCE_FACTS = {
    "fr": [
        "Pays de Savoie Solidaires, créée en 1988",
        "deux missions",
        "L'évolution des politiques sociales sur les deux territoires grâce au regard croisé",
        "L'évolution du partenariat vers une réelle réciprocité est due à plusieurs facteurs",
        "Pour porter ses fruits, une telle démarche doit surmonter plusieurs obstacles",
        "Jeunesse",
        "Personnes handicapées",
        "Personnes âgées",
        "Cohésion sociale",
        "Avant-propos",
        "L'essentiel de l'année",
        "du 7 au 10 juin 2016",
    ],
    "en": [
        "Pays de Savoie Solidaires, founded in 1988",
        "The partnership's move towards genuine reciprocity is due to several factors",
        "such an approach must overcome several obstacles",  # "To" is kerned apart
        "Foreword",
        "The year at a glance",
        "7–10 June 2016",
        "Published by the Département de la Savoie",
    ],
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_new_chapters_and_the_missing_source_facts_are_printed(editions, language):
    text = _normalised(" ".join(editions[language][1]))
    assert [fact for fact in SOURCE_FACTS[language] if _normalised(fact) not in text] == []


def test_illustrative_content_is_marked_at_the_item_and_the_notice_says_so(editions):
    french = _normalised(" ".join(editions["fr"][1]))
    english = _normalised(" ".join(editions["en"][1]))
    assert french.count("ILLUSTRATIF") >= 7
    assert english.count("ILLUSTRATIVE") >= 7
    assert "les textes viennent du document source" not in french
    assert "En 2016, les partenaires" not in french


def forbidden_calques() -> list[str]:
    """The English the glossary forbids: the third column of its « Forbidden » table."""
    section = GLOSSARY.read_text().split("## Forbidden calques", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|") for line in section.splitlines() if line.startswith("| ")]
    calques = [cell.strip().strip('“”"') for row in rows[1:] for cell in row[1].split(";")]
    return [calque for calque in calques if calque and not set(calque) <= {"-", " "}]


def test_the_glossary_lists_the_forbidden_calques():
    assert {"Power to act", "cash register", "posture"} <= set(forbidden_calques())


def test_the_english_edition_has_none_of_the_calques_the_glossary_forbids(editions):
    text = _normalised(" ".join(editions["en"][1]))
    found = [c for c in forbidden_calques() if re.search(rf"\b{re.escape(c)}\b", text, re.I)]
    assert found == []
