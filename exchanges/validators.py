"""Attachments are checked from their content, whatever their name or the browser claims."""

import re
import uuid
import warnings
import zipfile
import zlib
from pathlib import PurePosixPath
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as defused
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NullObject

from core.templatetags.file_sizes import file_size


def max_attachment_size() -> int:
    """The most an attachment weighs: settings.ATTACHMENT_MAX_BYTES (10 MB)."""
    return settings.ATTACHMENT_MAX_BYTES


def too_big(size: int) -> ValidationError:
    """The refusal of a file of `size` bytes, the same before and after it is sent."""
    return ValidationError(
        _("This file weighs %(size)s: attachments can weigh at most %(limit)s.")
        % {"size": file_size(size), "limit": file_size(max_attachment_size())},
        code="too_big",
    )


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
#: Photos with more pixels than a phone's camera makes are refused before they are decoded:
#: 50 megapixels (phones take 12 to 50; the app sends them resized to 2 000 px), checked and
#: thumbnailed from a reduced decoding. PNG and WebP images are screenshots and drawings,
#: decoded in full (no reduced decoding): 16 megapixels (a 5K screen is 14.7), 64 MB decoded.
MAX_IMAGE_PIXELS = 50_000_000
PIXEL_LIMITS = {"JPEG": MAX_IMAGE_PIXELS, "PNG": 16_000_000, "WEBP": 16_000_000}
#: A JPEG is checked and thumbnailed decoded at a reduced scale (JPEG's `draft`, 1/2 to 1/8):
#: no larger than this on its long side, yet read to its last byte.
JPEG_CHECK_SIDE = 2048


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


def validate_image(file, content_type: str) -> None:
    """The photo opens with Pillow, in the format its first bytes announce, has no more pixels
    than a phone's camera makes (read from its header, before anything is decoded), and
    decodes to the end (a photo cut during its upload is refused); a large JPEG is decoded at
    a reduced scale for this."""
    file.seek(0)
    broken = ValidationError(
        _(
            "This photo is damaged or incomplete (its sending may have been cut): take it or "
            "export it again, then send it again."
        ),
        code="broken_image",
    )
    limit = PIXEL_LIMITS[IMAGE_FORMATS[content_type]]
    too_many_pixels = ValidationError(
        _(
            "This photo has more than %(limit)s megapixels: send it at %(limit)s megapixels at "
            "most (as a phone takes it)."
        )
        % {"limit": limit // 1_000_000},
        code="too_many_pixels",
    )
    try:
        with warnings.catch_warnings():
            # Pillow's own limit (89 megapixels) is higher than ours, checked below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                if image.format != IMAGE_FORMATS[content_type]:
                    raise broken
                if image.width * image.height > limit:
                    raise too_many_pixels
                if image.format == "JPEG":
                    image.draft("RGB", (JPEG_CHECK_SIDE, JPEG_CHECK_SIDE))
                image.load()
    except Image.DecompressionBombError:  # twice Pillow's own limit: refused by Image.open
        raise too_many_pixels from None
    except (OSError, SyntaxError, ValueError):
        raise broken from None
    finally:
        file.seek(0)


#: What an office document holds, checked from its archive's directory before anything is
#: read: a 10 MB document of text unpacks to tens of MB (its XML compresses about tenfold), so
#: an archive that declares more, or packs its content more tightly than any text does, is a
#: bomb (a 1 MB .docx of zeros unpacks to 1 GB).
MAX_OFFICE_MEMBERS = 5_000
MAX_OFFICE_MEMBER_SIZE = 100 * 1024 * 1024
MAX_OFFICE_EXPANDED = 200 * 1024 * 1024
MAX_OFFICE_RATIO = 100  # unpacked / packed, for the members above 1 MB
#: The parts that are read (the declaration of types and the relations): each at most this.
MAX_OFFICE_PART_READ = 1024 * 1024

#: Parts of office documents that hold macros by their name (Visual Basic in DOCX/XLSX saved
#: with macros, wherever the part is; Basic and scripts in ODF documents).
MACRO_PARTS = re.compile(r"(?:^|/)vbaProject\.bin$|^Basic/.+|^Scripts/.+", re.I)
#: Content types and relation types of code: macros (under any part name), their data,
#: ActiveX controls, and documents declared "macro-enabled".
ACTIVE_OFFICE_TYPES = re.compile(r"vbaproject|vbadata|macroenabled|activex|/vba", re.I)
#: The only relation an office document may have with something outside itself: a link the
#: reader clicks. An external template (attachedTemplate), frame, OLE object or picture is
#: fetched when the document opens.
HYPERLINK_RELATION = re.compile(r"/relationships/hyperlink$")


class HostileOffice(Exception):
    """What an office document holds is refused; args[0] is the ValidationError."""


def _office_refusal(code: str) -> ValidationError:
    messages = {
        "macros": _(
            "This document contains macros: save it again without them (as a DOCX, XLSX, "
            "ODT or ODS document) and send that one."
        ),
        "external_relation": _(
            "This document fetches a template or content from another address when it opens: "
            "save it again as a plain document (without the linked template or objects) and "
            "send that one."
        ),
        "office_too_big": _(
            "This document unpacks to more than %(limit)s, more than any office document "
            "holds: save it again, or send its content as a PDF."
        )
        % {"limit": file_size(MAX_OFFICE_EXPANDED)},
        "broken_office": _(
            "This document is damaged or incomplete: save it again, then send it again."
        ),
    }
    return ValidationError(messages[code], code=code)


def _check_office_directory(infos: list[zipfile.ZipInfo]) -> None:
    """Sizes as the archive's directory declares them, before any member is read."""
    if len(infos) > MAX_OFFICE_MEMBERS:
        raise HostileOffice(_office_refusal("office_too_big"))
    expanded = 0
    for info in infos:
        expanded += info.file_size
        if (
            info.file_size > MAX_OFFICE_MEMBER_SIZE
            or expanded > MAX_OFFICE_EXPANDED
            or (
                info.file_size > 1024 * 1024
                and info.file_size > MAX_OFFICE_RATIO * max(info.compress_size, 1)
            )
        ):
            raise HostileOffice(_office_refusal("office_too_big"))


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member read with a cap, whatever its declared size: one that holds more than it
    declares, or more than MAX_OFFICE_PART_READ, is refused (zipfile stops at the declared
    size and checks the CRC)."""
    if info.file_size > MAX_OFFICE_PART_READ:
        raise HostileOffice(_office_refusal("office_too_big"))
    with archive.open(info) as member:
        data = member.read(MAX_OFFICE_PART_READ + 1)
    if len(data) > MAX_OFFICE_PART_READ:
        raise HostileOffice(_office_refusal("office_too_big"))
    return data


def _xml(data: bytes) -> ElementTree.Element:
    """A part of the package, parsed (any declared encoding) by defusedxml, which refuses a
    DTD, entities and external references whatever the encoding."""
    try:
        return defused.fromstring(data, forbid_dtd=True)
    except (ElementTree.ParseError, DefusedXmlException):
        raise HostileOffice(_office_refusal("broken_office")) from None


def _check_office_parts(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    for info in infos:
        name = info.filename
        if MACRO_PARTS.search(name):
            raise HostileOffice(_office_refusal("macros"))
        if name == "[Content_Types].xml":
            for declared in _xml(_read_part(archive, info)):  # its Default and Override
                if ACTIVE_OFFICE_TYPES.search(declared.get("ContentType", "")):
                    raise HostileOffice(_office_refusal("macros"))
        elif name.endswith(".rels"):
            for relation in _xml(_read_part(archive, info)):
                kind = relation.get("Type", "")
                if ACTIVE_OFFICE_TYPES.search(kind):
                    raise HostileOffice(_office_refusal("macros"))
                external = relation.get("TargetMode", "").lower() == "external"
                if external and not HYPERLINK_RELATION.search(kind):
                    raise HostileOffice(_office_refusal("external_relation"))


def validate_office_document(file) -> None:
    """A DOCX, XLSX, ODT or ODS document is refused if it unpacks to more than an office
    document holds (sizes read from the archive's directory before anything is unpacked,
    the parts that are read capped again while they are), holds macros under any part name
    or declares them in its content types or relations, or fetches a template, frame,
    object or picture from outside itself."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            infos = archive.infolist()
            _check_office_directory(infos)
            _check_office_parts(archive, infos)
    except HostileOffice as refusal:
        raise refusal.args[0] from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, zlib.error):
        raise _office_refusal("broken_office") from None
    finally:
        file.seek(0)


#: Actions that run code, launch a program, fetch or send data, or play media with scripts,
#: wherever they are: the document's opening (/OpenAction), the additional actions (/AA) of the
#: catalog, pages, annotations and form fields, links (/A), outlines, and chained (/Next).
ACTIVE_PDF_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/ImportData",
    "/SubmitForm",
    "/RichMediaExecute",
    "/Rendition",
    "/GoToE",
}
#: The most objects a PDF's check walks through (a 10 MB report holds a few thousand).
MAX_PDF_OBJECTS = 200_000


class ActivePDF(Exception):
    """The PDF runs code, launches a program, or carries files or forms with scripts."""


def _pdf_active_part(value) -> None:
    """Raises ActivePDF when the dictionary `value` is code or carries some: an action of
    ACTIVE_PDF_ACTIONS or holding /JS, an embedded file, a name tree of scripts or files, an
    XFA form (its own scripts)."""
    if not isinstance(value, DictionaryObject):
        return
    if value.get("/S") in ACTIVE_PDF_ACTIONS or "/JS" in value:
        raise ActivePDF
    if "/EF" in value or value.get("/Type") == "/EmbeddedFile":
        raise ActivePDF
    if "/JavaScript" in value or "/EmbeddedFiles" in value or "/XFA" in value:  # /Names, forms
        raise ActivePDF


def _pdf_walk(reader) -> None:
    """Every dictionary and array reachable from the trailer (the catalog, its pages,
    annotations, name trees, outlines, form fields, every action and its /Next), objects kept
    in object streams included (pypdf reads them), each object once. The content of streams
    (drawings, images, fonts) is data, not read; their dictionaries are."""
    seen: set[tuple[int, int]] = set()
    pending: list = [reader.trailer]
    while pending:
        value = pending.pop()
        if isinstance(value, IndirectObject):
            key = (value.idnum, value.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > MAX_PDF_OBJECTS:
                raise UncheckablePDF
            resolved = value.get_object()
            if resolved is None or isinstance(resolved, NullObject):
                # Unreadable where it is said to be, or nowhere: what a reader would find
                # there (after repairing the file) is unknown.
                raise UncheckablePDF
            value = resolved
        if isinstance(value, DictionaryObject):
            _pdf_active_part(value)
            pending.extend(value.values())
        elif isinstance(value, ArrayObject):
            pending.extend(value)


class UncheckablePDF(Exception):
    """The PDF could not be read to the end of its structure."""


def validate_pdf_is_passive(file) -> None:
    """A PDF is read with pypdf, a maintained parser, and refused if it runs JavaScript,
    launches a program, fetches or sends data, or carries files, wherever the action is kept
    (object streams included); or if it cannot be read: a PDF that hides its structure from
    the parser may hide it from this check too."""
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(file, strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise UncheckablePDF
            _pdf_walk(reader)
    except ActivePDF:
        raise ValidationError(
            _(
                "This PDF document contains scripts or actions that launch programs, or "
                "attached files: save it again without them (for instance with “Print to "
                "PDF”) and send that one."
            ),
            code="active_pdf",
        ) from None
    except (
        UncheckablePDF,
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
        OSError,
        zlib.error,
        NotImplementedError,
    ):
        raise ValidationError(
            _(
                "This PDF document could not be checked: save it again as a plain PDF (for "
                "instance with “Print to PDF”) and send that one."
            ),
            code="uncheckable_pdf",
        ) from None
    finally:
        file.seek(0)


def validate_attachment_file(file) -> str:
    """Raises ValidationError with a sentence for the officer; returns the content type."""
    if file.size > max_attachment_size():
        raise too_big(file.size)
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
        validate_office_document(file)
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
