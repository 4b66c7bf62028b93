"""The PDF is a document a Département would publish: A4, numbered pages, a running header,
embedded fonts, selectable text with every French accent, metadata, tagged (PDF/UA-1)."""

import contextlib
import re
import shutil
import subprocess
import zlib

import pytest

from tests.reporting_factories import (
    RestitutionFactory,
    download_draft_pdf,
    pdf_text,
    year_of_exchanges,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.real_pdf,
    pytest.mark.usefixtures("isolated_publishing"),
]


@pytest.fixture
def pdf(client, partnership, officer_savoie):
    year_of_exchanges(partnership)
    RestitutionFactory(partnership=partnership)
    client.force_login(officer_savoie)
    return download_draft_pdf(client, "/fr/restitutions/2016/pdf/")


def poppler(tool: str, pdf: bytes, tmp_path) -> str:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} (poppler-utils) is needed to inspect the PDF")
    path = tmp_path / "restitution.pdf"
    path.write_bytes(pdf)
    return subprocess.run([tool, str(path)], capture_output=True, check=True, text=True).stdout


def poppler_meta(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "meta.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfinfo", "-meta", str(path)], capture_output=True, text=True).stdout


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated (the catalogue lives in an object stream)."""
    inflated = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        with contextlib.suppress(zlib.error):
            inflated.append(zlib.decompress(stream))
    return b"\n".join(inflated)


def test_the_pdf_has_its_title_author_language_and_is_tagged_a4(pdf, tmp_path):
    info = poppler("pdfinfo", pdf, tmp_path)

    assert re.search(r"^Title:\s+L'action sociale de l'autre .+ 2016$", info, re.M)
    assert re.search(r"^Author:\s+.+$", info, re.M)
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)$", info, re.M)
    assert b"/Lang (fr)" in pdf_objects(pdf)
    assert 'pdfuaid:part="1"' in poppler_meta(pdf, tmp_path)


def test_the_fonts_are_embedded(pdf, tmp_path):
    fonts = poppler("pdffonts", pdf, tmp_path).splitlines()[2:]

    assert fonts
    assert all(line.split()[-5] == "yes" for line in fonts), fonts  # the "emb" column
    assert all("Lato" in line for line in fonts), "a glyph fell back to a system font"


def test_the_text_survives_pdftotext_with_its_accents_and_page_numbers(pdf):
    text = pdf_text(pdf)
    pages = int(re.search(r"page 2 / (\d+)", text).group(1))

    assert "Personnes âgées" in text  # the strand's short name, a tag in the timeline
    assert "Comment développer le pouvoir d’agir des personnes ?" in text  # curly, by rule
    assert "Ministère des Affaires étrangères" in text
    assert "25 000 €" in text
    assert f"page {pages} / {pages}" in text
