"""HTTP responses for stored restitution files: published editions, their stylesheets, draft
PDFs. Published bytes are checked against their SHA-256 before they are served."""

import hashlib
import io
import logging
import os

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse

from .models import Format

logger = logging.getLogger(__name__)

CONTENT_TYPES = {
    Format.PDF: "application/pdf",
    Format.HTML: "text/html; charset=utf-8",
    "css": "text/css; charset=utf-8",
}

# Published files this process has checked against their SHA-256, by name, size and change
# time on disk: a file rewritten or appended to since is checked again before it is served.
_checked: dict[tuple[str, int, int], str] = {}
_CHECKED_MAX = 256


def stored_response(
    field: FieldFile, *, sha256: str | None, format: str, stem: str
) -> FileResponse:
    """The stored bytes, streamed from storage (the server may send them with sendfile);
    checked first against `sha256` when given (published files)."""
    file = field.open("rb").file
    try:
        if sha256 is not None:
            _check_sha256(file, field.name, sha256)
    except BaseException:
        file.close()
        raise
    response = FileResponse(file, content_type=CONTENT_TYPES[format])
    if format != "css":
        response["Content-Disposition"] = disposition(format, stem)
    if sha256 is not None:
        response["ETag"] = f'"{sha256}"'
    return response


def _check_sha256(file, name: str, sha256: str) -> None:
    try:
        status = os.fstat(file.fileno())
        state = (name, status.st_size, status.st_mtime_ns)
    except (AttributeError, OSError, io.UnsupportedOperation):  # a storage without files
        state = None
    if state is not None and _checked.get(state) == sha256:
        return
    if hashlib.file_digest(file, "sha256").hexdigest() != sha256:
        logger.error("Published file %s does not match its SHA-256", name)
        raise RuntimeError("A published restitution file does not match its SHA-256.")
    file.seek(0)
    if state is not None:
        if len(_checked) >= _CHECKED_MAX:
            _checked.clear()
        _checked[state] = sha256


def disposition(format: str, stem: str) -> str:
    return f'inline; filename="{stem}.pdf"' if format == Format.PDF else "inline"


def bytes_response(data: bytes, format: str, stem: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[format])
    response["Content-Disposition"] = disposition(format, stem)
    return response
