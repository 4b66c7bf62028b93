"""Attachments are checked from their content, whatever their name or the browser claims."""

import re
import uuid
import zlib
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_ATTACHMENT_SIZE = 10 * 1024 * 1024  # 10 MB: a phone photo, a scanned report

#: content type -> file extension
ACCEPTED_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
}


def sniff_content_type(head: bytes) -> str | None:
    """The content type of a file from its first 16 bytes, among the accepted ones."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def read_head(file) -> bytes:
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    return head


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


def validate_attachment_file(file) -> None:
    if file.size > MAX_ATTACHMENT_SIZE:
        raise ValidationError(
            _("This file weighs %(size)s: attachments can weigh at most %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(MAX_ATTACHMENT_SIZE)},
            code="too_big",
        )
    content_type = sniff_content_type(read_head(file))
    if content_type is None:
        raise ValidationError(
            _("This file is not a JPEG, PNG or WebP photo, nor a PDF document."),
            code="wrong_type",
        )
    if content_type == "application/pdf":
        validate_pdf_is_passive(file)


def attachment_upload_to(instance, filename: str) -> str:
    """A name nobody can guess or choose, with the extension of the type read from the
    content (never the sender's): the original name is kept in the database only."""
    content_type = instance.content_type or sniff_content_type(read_head(instance.file))
    extension = ACCEPTED_TYPES.get(content_type, "bin")
    return f"exchanges/{instance.exchange_id}/{uuid.uuid4().hex}.{extension}"


def download_name(original_name: str, content_type: str) -> str:
    """The name a download is offered under: the sender's, with the extension of its real
    type (`rapport.html` holding a PDF is offered as `rapport.pdf`)."""
    extension = ACCEPTED_TYPES.get(content_type, "bin")
    stem = PurePosixPath(original_name.replace("\\", "/")).stem.strip() or "document"
    return f"{stem}.{extension}"
