"""Documents sent in pieces, so that a cut connection costs the piece on its way, not the whole
file (Bignona's uplink carries 150 kbit/s: an 8 MB PDF takes 7 minutes).

The outbox (static/js/outbox.js) opens an upload session for a file above its threshold, with
the file's name, size, fingerprint (SHA-256) and the item's submission key; the server answers
how many bytes it holds (0, or more when the same item opens it again: that is how a sending
resumes). Each piece is then sent at the offset the server holds, and stored as it arrives in
Django's storage (the disk or the S3 bucket every app server shares). Once the server holds the
whole file, the outbox asks it to finish: the pieces are put together in a temporary file,
which goes through the attachment form and service exactly as a file posted at once (the same
checks, the same answer), and the pieces go.

A session belongs to its member (another one cannot see, extend or finish it), weighs at most
what an attachment may weigh (refused when it is opened), takes pieces of at most
UPLOAD_CHUNK_MAX_BYTES (checked from their announced length before they are read), and is
forgotten UPLOAD_SESSION_HOURS after its last piece (`manage.py prune_upload_sessions`, and at
each opening); a member keeps at most UPLOAD_SESSIONS_PER_USER of them."""

import datetime
import hashlib
import uuid
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import require

from . import permissions
from .models import Exchange, UploadSession
from .validators import max_attachment_size, too_big

#: Where the pieces wait, in the default storage: one folder a session.
PIECES = "uploads"


class PieceRefused(Exception):
    """A piece that does not continue the file: `offset` is what the server holds."""

    def __init__(self, message: str, *, offset: int, status: int):
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.status = status


def kept_for() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.UPLOAD_SESSION_HOURS)


def _folder(session: UploadSession) -> str:
    return f"{PIECES}/{session.pk.hex}"


def _piece_name(session: UploadSession, offset: int) -> str:
    return f"{_folder(session)}/{offset:012d}.part"


def _pieces(session: UploadSession) -> list[str]:
    try:
        _folders, files = default_storage.listdir(_folder(session))
    except FileNotFoundError:
        return []
    return [f"{_folder(session)}/{name}" for name in sorted(files) if name.endswith(".part")]


def upload_open(
    *,
    user,
    exchange: Exchange,
    submission_key: uuid.UUID,
    name: str,
    size: int,
    content_type: str = "",
    sha256: str = "",
) -> UploadSession:
    """The session of this outbox item (found again when it was opened before: the sending
    resumes from what the server holds), or a new one. Raises PermissionDenied, or
    ValidationError for a file heavier than an attachment may weigh (nothing is sent then)."""
    require(permissions.refusal_to_add_attachment(user, exchange))
    if size > max_attachment_size():
        raise ValidationError({"file": too_big(size)})
    if size <= 0:
        raise ValidationError({"file": _("This file is empty: choose another one.")})
    sha256 = sha256.lower() if len(sha256) == 64 else ""
    prune_upload_sessions()
    found = UploadSession.objects.filter(user=user, submission_key=submission_key).first()
    if found is not None:
        if (found.exchange_id, found.size, found.sha256) == (exchange.pk, size, sha256):
            return found
        upload_discard(found)  # another file under the same key: its pieces are of no use
    _make_room(user)
    try:
        with transaction.atomic():
            return UploadSession.objects.create(
                user=user,
                exchange=exchange,
                submission_key=submission_key,
                name=(name or "document")[-255:],
                content_type=content_type[:120],
                size=size,
                sha256=sha256,
            )
    except IntegrityError:  # the same item opened it at the same moment
        return UploadSession.objects.get(user=user, submission_key=submission_key)


def _make_room(user) -> None:
    """A member's oldest unfinished sendings go beyond UPLOAD_SESSIONS_PER_USER - 1."""
    keep = settings.UPLOAD_SESSIONS_PER_USER - 1
    for old in UploadSession.objects.filter(user=user).order_by("-updated_at")[keep:]:
        upload_discard(old)


def check_piece(session: UploadSession, *, start: int, length: int) -> None:
    """Before a piece is read: it fits in the file and continues what the server holds.
    A piece the server holds already is let through (upload_append answers at once)."""
    if length > settings.UPLOAD_CHUNK_MAX_BYTES or start + length > session.size:
        raise PieceRefused(
            _("This piece goes beyond the file's declared size."),
            offset=session.received,
            status=413,
        )
    if start > session.received:
        raise PieceRefused(
            _("A piece is missing before this one: send from the byte the server holds."),
            offset=session.received,
            status=409,
        )


def upload_append(*, session: UploadSession, start: int, body: BinaryIO, length: int) -> int:
    """Stores the piece of `length` bytes at `start` read from `body`; the bytes the server
    holds after it. A piece the server holds already is not read again; one cut on its way
    (fewer bytes than announced) is dropped."""
    check_piece(session, start=start, length=length)
    if start + length <= session.received:
        return session.received  # sent again after its answer was lost
    if start != session.received:  # overlaps the end of what is held: resend from there
        raise PieceRefused(
            _("A piece is missing before this one: send from the byte the server holds."),
            offset=session.received,
            status=409,
        )
    data = body.read(length)  # read before the row is locked: on a slow link it takes seconds
    if len(data) != length:
        raise PieceRefused(
            _("This piece arrived incomplete: send it again."),
            offset=session.received,
            status=400,
        )
    with transaction.atomic():
        locked = UploadSession.objects.select_for_update().get(pk=session.pk)
        if start + length <= locked.received:
            return locked.received  # the same piece, sent twice at once: stored once
        if start != locked.received:
            raise PieceRefused(
                _("A piece is missing before this one: send from the byte the server holds."),
                offset=locked.received,
                status=409,
            )
        name = _piece_name(locked, start)
        if default_storage.exists(name):  # left by a piece whose saving failed halfway
            default_storage.delete(name)
        default_storage.save(name, ContentFile(data))
        locked.received = start + length
        locked.save(update_fields=["received", "updated_at"])
    return locked.received


def upload_assemble(session: UploadSession) -> TemporaryUploadedFile:
    """The whole file, put together from its pieces in a temporary file, as an upload of the
    attachment form. Raises ValidationError if it is not the file announced (size, SHA-256)."""
    assembled = TemporaryUploadedFile(
        session.name, session.content_type or "application/octet-stream", session.size, None
    )
    digest = hashlib.sha256()
    total = 0
    for name in _pieces(session):
        with default_storage.open(name, "rb") as piece:
            for block in iter(lambda piece=piece: piece.read(1024 * 1024), b""):
                digest.update(block)
                assembled.write(block)
                total += len(block)
    assembled.flush()
    assembled.seek(0)
    if total != session.size or (session.sha256 and digest.hexdigest() != session.sha256):
        assembled.close()
        raise ValidationError(
            {"file": _("This file arrived damaged on its way: send it again.")},
            code="damaged_upload",
        )
    return assembled


def upload_discard(session: UploadSession) -> None:
    """The session and its pieces go (sent, refused, replaced or stale)."""
    for name in _pieces(session):
        default_storage.delete(name)
    session.delete()


def prune_upload_sessions(*, now: datetime.datetime | None = None) -> int:
    """Forget the sessions without a piece for UPLOAD_SESSION_HOURS; how many went."""
    limit = (now or timezone.now()) - kept_for()
    stale = list(UploadSession.objects.filter(updated_at__lt=limit))
    for session in stale:
        upload_discard(session)
    return len(stale)
