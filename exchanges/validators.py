"""Attachments are checked from their first bytes, whatever their name or the browser claims."""

import uuid

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


def validate_attachment_file(file) -> None:
    if file.size > MAX_ATTACHMENT_SIZE:
        raise ValidationError(
            _("This file weighs %(size)s: attachments can weigh at most %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(MAX_ATTACHMENT_SIZE)},
            code="too_big",
        )
    if sniff_content_type(read_head(file)) is None:
        raise ValidationError(
            _("This file is not a JPEG, PNG or WebP photo, nor a PDF document."),
            code="wrong_type",
        )


def attachment_upload_to(instance, filename: str) -> str:
    """A name nobody can guess or choose: the original name is kept in the database only."""
    extension = ACCEPTED_TYPES.get(instance.content_type, "bin")
    return f"exchanges/{instance.exchange_id}/{uuid.uuid4().hex}.{extension}"
