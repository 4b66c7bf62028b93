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

# Published files this process has checked against their SHA-256, by their state on disk
# (`_file_state`): a file rewritten, appended to or replaced since is checked again before it
# is served.
_checked: dict[tuple, str] = {}
_CHECKED_MAX = 256


def stored_response(
    field: FieldFile, *, sha256: str | None, format: str, stem: str
) -> FileResponse:
    """The stored bytes, streamed from storage (the server may send them with sendfile);
    checked first against `sha256` when given (published files)."""
    file = field.open("rb").file
    try:
        if sha256 is not None:
            _check_sha256(file, field.name, sha256, on_disk=_on_disk(field.storage))
    except BaseException:
        file.close()
        raise
    response = FileResponse(file, content_type=CONTENT_TYPES[format])
    if format != "css":
        response["Content-Disposition"] = disposition(format, stem)
    if sha256 is not None:
        response["ETag"] = f'"{sha256}"'
    return response


def _file_state(file, name: str) -> tuple | None:
    """What tells, without reading it, that a stored file is the one checked before: its
    device and inode (a file replaced by another), size and modification time, and the inode's
    change time, which the kernel sets on every write or metadata change and no user program
    can set back (`touch -d` and `os.utime` restore the modification time only). None for a
    storage that has no file on disk (S3…): such a file is hashed on every request."""
    try:
        status = os.fstat(file.fileno())
    except (AttributeError, OSError, io.UnsupportedOperation):
        return None
    return (
        name,
        status.st_dev,
        status.st_ino,
        status.st_size,
        status.st_mtime_ns,
        status.st_ctime_ns,
    )


def _on_disk(storage) -> bool:
    """Whether the storage keeps files on this machine's disk. An object of a bucket (S3…) is
    fetched whole into a temporary copy (django-storages' S3File), which is hashed, then served:
    the very bytes checked; that copy's inode says nothing of the object, so it is not
    remembered."""
    try:
        storage.path("")
    except NotImplementedError:
        return False
    return True


def _check_sha256(file, name: str, sha256: str, *, on_disk: bool = True) -> None:
    state = _file_state(file, name) if on_disk else None
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
