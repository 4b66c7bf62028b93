"""Attachments are checked from their content, whatever their name or the browser claims."""

import re
import uuid
import warnings
import zipfile
import zlib
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

from core.templatetags.file_sizes import file_size

MAX_ATTACHMENT_SIZE = 10 * 1024 * 1024  # 10 MB: a phone photo, a scanned report

ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: content type -> file extension
ACCEPTED_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
    ODT: "odt",
    ODS: "ods",
    DOCX: "docx",
    XLSX: "xlsx",
}
IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
#: What a file chooser offers: the types, and the extensions for phones that know no types.
ACCEPT = ",".join([*ACCEPTED_TYPES, *(f".{ext}" for ext in ACCEPTED_TYPES.values()), ".jpeg"])
#: Photos larger than this (in pixels) are refused before they are decoded: 100 megapixels.
MAX_IMAGE_PIXELS = 100_000_000


def sniff_content_type(head: bytes) -> str | None:
    """The content type of a file from its first 16 bytes, among the accepted ones (office
    documents, which are ZIP archives, are told apart by `content_type_of`)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def read_head(file, size: int = 16) -> bytes:
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def content_type_of(file) -> str | None:
    """The content type read from the content: the first bytes, and for a ZIP archive the
    declaration an office document carries inside it."""
    head = read_head(file)
    if head.startswith(b"PK\x03\x04"):
        return _office_type(file)
    return sniff_content_type(head)


def _office_type(file) -> str | None:
    """ODT and ODS name their type in a first member `mimetype`; DOCX and XLSX hold
    `[Content_Types].xml` and their main part (`word/document.xml`, `xl/workbook.xml`)."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                return declared if declared in (ODT, ODS) else None
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return DOCX
                if "xl/workbook.xml" in names:
                    return XLSX
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, EOFError):
        return None
    finally:
        file.seek(0)
    return None


def validate_image(file, content_type: str) -> Image.Image:
    """The photo opens with Pillow, in the format its first bytes announce, and decodes to the
    end (a photo cut during its upload is refused). Returns the decoded image."""
    file.seek(0)
    broken = ValidationError(
        _(
            "This photo is damaged or incomplete (its sending may have been cut): take it or "
            "export it again, then send it again."
        ),
        code="broken_image",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file)
            if image.format != IMAGE_FORMATS[content_type]:
                raise broken
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("This photo is too large in pixels: send it at 100 megapixels at most."),
                    code="too_many_pixels",
                )
            image.load()
    except (
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise broken from None
    finally:
        file.seek(0)
    return image


#: Parts of office documents that hold macros (Visual Basic in DOCX/XLSX saved with macros,
#: Basic and scripts in ODF documents).
MACRO_PARTS = re.compile(r"(?:^|/)vbaProject\.bin$|^Basic/.+|^Scripts/.+", re.I)


def validate_office_is_passive(file) -> None:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            types = b""
            if "[Content_Types].xml" in names:
                types = archive.read("[Content_Types].xml")[:1_000_000]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError):
        names, types = [], b""
    finally:
        file.seek(0)
    if any(MACRO_PARTS.search(name) for name in names) or b"macroEnabled" in types:
        raise ValidationError(
            _(
                "This document contains macros: save it again without them (as a DOCX, XLSX, "
                "ODT or ODS document) and send that one."
            ),
            code="macros",
        )


#: Names of PDF actions that run code: JavaScript (also behind /OpenAction and the /AA
#: additional actions, which hold a /JS entry) and launching a program or a file.
ACTIVE_PDF_NAMES = re.compile(rb"/(?:JavaScript|JS|Launch)(?![^\s/<>\[\]()%{}])")
PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
STREAM_START = re.compile(rb"\bstream\r?\n")
#: The most the object streams of one PDF may inflate to while they are read.
MAX_PDF_INFLATED = 50 * 1024 * 1024


class UncheckablePDF(Exception):
    """The PDF hides its objects in a way this check does not read."""


def _unescaped(part: bytes) -> bytes:
    """`/J#61vaScript` is `/JavaScript`: names may escape any character as #xx."""
    return PDF_NAME_ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]), part)


def _pdf_dictionaries(data: bytes):
    """What a PDF's objects say, outside the content of their streams (images, fonts, page
    drawings, where any bytes can occur), and inside its object streams (/ObjStm), which
    hold compressed objects. Raises UncheckablePDF for an object stream that cannot be read."""
    position, inflated = 0, 0
    while True:
        start = STREAM_START.search(data, position)
        if start is None:
            yield _unescaped(data[position:])
            return
        outside = _unescaped(data[position : start.start()])
        yield outside
        end = data.find(b"endstream", start.end())
        end = len(data) if end == -1 else end
        dictionary = outside[outside.rfind(b"obj") :]
        if b"/ObjStm" in dictionary:
            if b"/FlateDecode" not in dictionary or b"/DecodeParms" in dictionary:
                raise UncheckablePDF
            try:
                content = zlib.decompressobj().decompress(
                    data[start.end() : end], MAX_PDF_INFLATED - inflated + 1
                )
            except zlib.error:
                raise UncheckablePDF from None
            inflated += len(content)
            if inflated > MAX_PDF_INFLATED:
                raise UncheckablePDF
            yield _unescaped(content)
        position = end + len(b"endstream")


def validate_pdf_is_passive(file) -> None:
    """A PDF that runs JavaScript or launches a program when it is opened is refused."""
    file.seek(0)
    data = file.read(MAX_ATTACHMENT_SIZE + 1)
    file.seek(0)
    try:
        active = any(ACTIVE_PDF_NAMES.search(part) for part in _pdf_dictionaries(data))
    except UncheckablePDF:
        raise ValidationError(
            _(
                "This PDF document could not be checked: save it again as a plain PDF (for "
                "instance with “Print to PDF”) and send that one."
            ),
            code="uncheckable_pdf",
        ) from None
    if active:
        raise ValidationError(
            _(
                "This PDF document contains scripts or actions that launch programs: save it "
                "again without them (for instance with “Print to PDF”) and send that one."
            ),
            code="active_pdf",
        )


def validate_attachment_file(file) -> str:
    """Raises ValidationError with a sentence for the officer; returns the content type."""
    if file.size > MAX_ATTACHMENT_SIZE:
        raise ValidationError(
            _("This file weighs %(size)s: attachments can weigh at most %(limit)s.")
            % {"size": file_size(file.size), "limit": file_size(MAX_ATTACHMENT_SIZE)},
            code="too_big",
        )
    content_type = content_type_of(file)
    if content_type is None:
        head = read_head(file, 1024).lstrip().lower()
        if b"<svg" in head:
            raise ValidationError(
                _(
                    "SVG drawings are not accepted, as they can hold scripts: export the "
                    "drawing as a PNG image and send that one."
                ),
                code="svg",
            )
        raise ValidationError(
            _(
                "This file is not a JPEG, PNG or WebP photo, nor a PDF, ODT, ODS, DOCX or XLSX "
                "document."
            ),
            code="wrong_type",
        )
    if content_type == "application/pdf":
        validate_pdf_is_passive(file)
    elif content_type in IMAGE_FORMATS:
        validate_image(file, content_type)
    else:
        validate_office_is_passive(file)
    return content_type


def attachment_upload_to(instance, filename: str) -> str:
    """A name nobody can guess or choose, with the extension of the type read from the
    content (never the sender's): the original name is kept in the database only."""
    content_type = instance.content_type or content_type_of(instance.file)
    extension = ACCEPTED_TYPES.get(content_type, "bin")
    return f"exchanges/{instance.exchange_id}/{uuid.uuid4().hex}.{extension}"


def download_name(original_name: str, content_type: str) -> str:
    """The name a download is offered under: the sender's, with the extension of its real
    type (`rapport.html` holding a PDF is offered as `rapport.pdf`)."""
    extension = ACCEPTED_TYPES.get(content_type, "bin")
    stem = PurePosixPath(original_name.replace("\\", "/")).stem.strip() or "document"
    return f"{stem}.{extension}"
