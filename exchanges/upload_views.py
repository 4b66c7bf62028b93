"""The three steps of a document sent in pieces (exchanges/uploads.py): open (or find again)
its session, send a piece, finish. Answers in JSON for the outbox; the last step answers as the
attachment form does (exchanges/writes.py), for it is that form's sending."""

import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from . import answers, selectors, uploads
from .models import SubmissionKey, UploadSession
from .submissions import AlreadySaved, earlier, parse_key, previous_submission, target
from .views import _attachment_submission, _require_member

#: `Content-Range: bytes 0-262143/8388608`: the piece's first and last byte, and the file's size.
CONTENT_RANGE = re.compile(r"^bytes (\d{1,12})-(\d{1,12})/(\d{1,12})$")


def _state(session: UploadSession, **extra) -> JsonResponse:
    return JsonResponse(
        {
            "state": "upload",
            "url": reverse("exchange_upload", args=[session.pk]),
            "finish": reverse("exchange_upload_finish", args=[session.pk]),
            "offset": session.received,
            "size": session.size,
            "chunk": settings.UPLOAD_CHUNK_MAX_BYTES,
        },
        **extra,
    )


def _refused(message: str, *, status: int, offset: int | None = None) -> JsonResponse:
    answer: dict = {"state": "refused", "message": message, "errors": {"file": [message]}}
    if offset is not None:
        answer["offset"] = offset
    return JsonResponse(answer, status=status)


def _own_session(request, session_id) -> UploadSession:
    """The member's own session: another member's is not found (404), as if it did not exist."""
    _require_member(request.user)
    return get_object_or_404(UploadSession, pk=session_id, user=request.user)


@login_required
@require_POST
def upload_create(request, pk: int):
    _require_member(request.user)
    exchange = get_object_or_404(selectors.visible_exchanges(request.user), pk=pk)
    if reason := answers.refusal_to_save_from_outbox(request):
        return answers.other_account(reason)
    key = parse_key(request.POST.get("submission_key"))
    try:
        size = int(request.POST.get("size", ""))
    except ValueError:
        size = -1
    if key is None or size < 0:
        return JsonResponse({"state": "refused", "message": "size and submission_key"}, status=400)
    previous = previous_submission(key, request.user)
    if previous is not None:  # finished before, its answer lost: the first result again
        error = earlier(previous, kind=SubmissionKey.Kind.ATTACHMENT, target=target(exchange))
        if isinstance(error, AlreadySaved):
            return answers.already_saved(request, previous)
    try:
        session = uploads.upload_open(
            user=request.user,
            exchange=exchange,
            submission_key=key,
            name=request.POST.get("name", ""),
            size=size,
            content_type=request.POST.get("content_type", ""),
            sha256=request.POST.get("sha256", ""),
        )
    except PermissionDenied as refusal:
        return _refused(str(refusal), status=403)
    except ValidationError as refusal:
        message = " ".join(refusal.messages)
        return _refused(message, status=413 if size > 0 else 422)
    return _state(session)


@login_required
@require_http_methods(["GET", "PUT"])
def upload_piece(request, session_id):
    """GET: the bytes the server holds. PUT: a piece, at the offset its Content-Range says,
    checked against the session from its announced length before a byte of it is read."""
    session = _own_session(request, session_id)
    if request.method == "GET":
        return _state(session)
    if reason := answers.refusal_to_save_from_outbox(request):
        return answers.other_account(reason)
    found = CONTENT_RANGE.match(request.headers.get("Content-Range", ""))
    try:
        length = int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        length = -1
    if found is None or length <= 0:
        return _refused("Content-Range and Content-Length", status=400, offset=session.received)
    start, end, total = (int(part) for part in found.groups())
    if end - start + 1 != length or total != session.size:
        return _refused("Content-Range and Content-Length", status=400, offset=session.received)
    try:
        held = uploads.upload_append(session=session, start=start, body=request, length=length)
    except uploads.PieceRefused as refusal:
        return _refused(refusal.message, status=refusal.status, offset=refusal.offset)
    session.received = held
    return _state(session)


@login_required
@require_POST
def upload_finish(request, session_id):
    """The whole file, checked and saved by the attachment form's own sending, with the
    fields the outbox item carries (caption, credit, submission key…)."""
    session = _own_session(request, session_id)
    if reason := answers.refusal_to_save_from_outbox(request):
        return answers.other_account(reason)
    if session.received < session.size:
        return _state(session, status=409)
    if parse_key(request.POST.get("submission_key")) != session.submission_key:
        return _refused(
            "The submission key is not this upload's.", status=400, offset=session.received
        )
    try:
        assembled = uploads.upload_assemble(session)
    except ValidationError as refusal:
        uploads.upload_discard(session)
        return _refused(" ".join(refusal.messages), status=422)
    with assembled:
        response = _attachment_submission(request, session.exchange_id, {"file": assembled})
    if response.status_code < 500:  # sent or refused: its pieces are of no more use
        uploads.upload_discard(session)
    return response
