"""A document too heavy for Bignona's uplink in one go is sent in pieces that resume after a
cut (issue 20, item 6): the server holds what arrived, a sending resumes from there, and the
whole file goes through the attachment form's own checks and answer."""

import datetime
import hashlib
import io
import uuid

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from exchanges import upload_views
from exchanges.models import Attachment, UploadSession
from tests.factories import PDF_BYTES
from tests.pdfs import document

pytestmark = pytest.mark.django_db
PIECE = 64
HOSTILE_PDF = document(b" /OpenAction << /S /JavaScript /JS (app.alert(1)) >>")


@pytest.fixture(autouse=True)
def small_pieces(settings, media_root):
    """Pieces of 64 bytes, so that a small PDF travels in many."""
    settings.UPLOAD_CHUNK_MAX_BYTES = PIECE


def outbox_headers(user) -> dict:
    return {"HTTP_X_OUTBOX": "1", "HTTP_X_OUTBOX_AUTHOR": str(user.pk)}


def open_upload(client, user, exchange, content: bytes, key: uuid.UUID, **extra):
    fields = {
        "name": "rapport.pdf",
        "size": str(len(content)),
        "content_type": "application/pdf",
        "sha256": hashlib.sha256(content).hexdigest(),
        "submission_key": str(key),
        **extra,
    }
    return client.post(
        f"/fr/exchanges/{exchange.pk}/attachments/uploads/", fields, **outbox_headers(user)
    )


def send_piece(client, user, url: str, content: bytes, start: int, end: int):
    piece = content[start:end]
    return client.generic(
        "PUT",
        url,
        piece,
        content_type="application/octet-stream",
        HTTP_CONTENT_RANGE=f"bytes {start}-{end - 1}/{len(content)}",
        **outbox_headers(user),
    )


def send_all(client, user, url: str, content: bytes, start: int = 0):
    answer = None
    for offset in range(start, len(content), PIECE):
        answer = send_piece(client, user, url, content, offset, min(offset + PIECE, len(content)))
        assert answer.status_code == 200, answer.content
    return answer


def finish(client, user, answer, key: uuid.UUID, caption: str = "Compte rendu"):
    return client.post(
        answer["finish"],
        {"caption_fr": caption, "submission_key": str(key)},
        **outbox_headers(user),
    )


def test_a_document_sent_in_pieces_in_order_is_saved_like_one_sent_at_once(
    client, officer_bignona, visit, media_root
):
    client.force_login(officer_bignona)
    key = uuid.uuid4()

    opened = open_upload(client, officer_bignona, visit, PDF_BYTES, key)
    assert opened.status_code == 200
    assert opened.json()["offset"] == 0
    last = send_all(client, officer_bignona, opened.json()["url"], PDF_BYTES)
    assert last.json()["offset"] == len(PDF_BYTES)
    answer = finish(client, officer_bignona, opened.json(), key)

    assert answer.status_code == 200
    assert answer.json()["state"] == "sent"
    attachment = Attachment.objects.get()
    assert attachment.pk == answer.json()["object"]
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "rapport.pdf"
    assert attachment.file.read() == PDF_BYTES
    assert not UploadSession.objects.exists()
    assert list(media_root.rglob("*.part")) == []  # the pieces went


def test_a_piece_sent_again_is_stored_once(client, officer_bignona, visit):
    client.force_login(officer_bignona)
    key = uuid.uuid4()
    url = open_upload(client, officer_bignona, visit, PDF_BYTES, key).json()["url"]
    send_piece(client, officer_bignona, url, PDF_BYTES, 0, PIECE)

    again = send_piece(client, officer_bignona, url, PDF_BYTES, 0, PIECE)

    assert again.status_code == 200
    assert again.json()["offset"] == PIECE
    assert UploadSession.objects.get().received == PIECE


def test_a_piece_after_a_gap_is_refused_with_the_offset_the_server_holds(
    client, officer_bignona, visit
):
    client.force_login(officer_bignona)
    url = open_upload(client, officer_bignona, visit, PDF_BYTES, uuid.uuid4()).json()["url"]
    send_piece(client, officer_bignona, url, PDF_BYTES, 0, PIECE)

    gap = send_piece(client, officer_bignona, url, PDF_BYTES, 2 * PIECE, 3 * PIECE)

    assert gap.status_code == 409
    assert gap.json()["offset"] == PIECE
    assert UploadSession.objects.get().received == PIECE


def test_a_cut_sending_resumes_from_the_bytes_the_server_holds(client, officer_bignona, visit):
    client.force_login(officer_bignona)
    key = uuid.uuid4()
    first = open_upload(client, officer_bignona, visit, PDF_BYTES, key).json()
    send_piece(client, officer_bignona, first["url"], PDF_BYTES, 0, PIECE)
    send_piece(client, officer_bignona, first["url"], PDF_BYTES, PIECE, 2 * PIECE)

    # The connection is cut; the outbox opens its item's upload again, with the same key.
    resumed = open_upload(client, officer_bignona, visit, PDF_BYTES, key).json()
    asked = client.get(resumed["url"]).json()

    assert resumed["url"] == first["url"]
    assert resumed["offset"] == asked["offset"] == 2 * PIECE
    send_all(client, officer_bignona, resumed["url"], PDF_BYTES, start=resumed["offset"])
    assert finish(client, officer_bignona, resumed, key).json()["state"] == "sent"
    assert Attachment.objects.get().file.read() == PDF_BYTES


def test_a_finished_upload_opened_again_gets_the_first_result(client, officer_bignona, visit):
    client.force_login(officer_bignona)
    key = uuid.uuid4()
    opened = open_upload(client, officer_bignona, visit, PDF_BYTES, key).json()
    send_all(client, officer_bignona, opened["url"], PDF_BYTES)
    saved = finish(client, officer_bignona, opened, key).json()

    again = open_upload(client, officer_bignona, visit, PDF_BYTES, key)

    assert again.json()["state"] == "sent"
    assert again.json()["object"] == saved["object"]
    assert Attachment.objects.count() == 1


@pytest.mark.parametrize("step", ["ask", "append", "finish"])
def test_another_member_cannot_see_extend_or_finish_someones_upload(
    client, officer_bignona, officer_savoie, visit, step
):
    client.force_login(officer_bignona)
    key = uuid.uuid4()
    opened = open_upload(client, officer_bignona, visit, PDF_BYTES, key).json()
    send_piece(client, officer_bignona, opened["url"], PDF_BYTES, 0, PIECE)
    send_piece(client, officer_bignona, opened["url"], PDF_BYTES, PIECE, 2 * PIECE)
    client.force_login(officer_savoie)

    if step == "ask":
        answer = client.get(opened["url"])
    elif step == "append":
        answer = send_piece(client, officer_savoie, opened["url"], PDF_BYTES, 2 * PIECE, 3 * PIECE)
    else:
        answer = finish(client, officer_savoie, opened, key)

    assert answer.status_code == 404
    session = UploadSession.objects.get()
    assert session.user == officer_bignona
    assert session.received == 2 * PIECE
    assert not Attachment.objects.exists()


def test_a_hostile_pdf_sent_in_pieces_is_refused_with_the_same_message(
    client, officer_bignona, visit
):
    client.force_login(officer_bignona)
    at_once = client.post(
        f"/fr/exchanges/{visit.pk}/attachments/new/",
        {
            "file": io.BytesIO(HOSTILE_PDF),
            "caption_fr": "Compte rendu",
            "submission_key": str(uuid.uuid4()),
        },
        **outbox_headers(officer_bignona),
    )
    key = uuid.uuid4()
    opened = open_upload(client, officer_bignona, visit, HOSTILE_PDF, key).json()
    send_all(client, officer_bignona, opened["url"], HOSTILE_PDF)

    in_pieces = finish(client, officer_bignona, opened, key)

    assert in_pieces.status_code == at_once.status_code == 422
    assert in_pieces.json()["state"] == "refused"
    assert "contient des scripts" in in_pieces.json()["message"]
    assert in_pieces.json()["errors"] == at_once.json()["errors"]
    assert not Attachment.objects.exists()
    assert not UploadSession.objects.exists()  # its pieces went with it


def test_a_file_over_the_limit_is_refused_when_its_upload_is_opened(
    client, officer_bignona, visit, settings
):
    client.force_login(officer_bignona)

    answer = client.post(
        f"/fr/exchanges/{visit.pk}/attachments/uploads/",
        {"name": "gros.pdf", "size": str(11 * 1024 * 1024), "submission_key": str(uuid.uuid4())},
        **outbox_headers(officer_bignona),
    )

    assert answer.status_code == 413
    assert answer.json()["message"] == (
        "Ce fichier pèse 11\u00a0Mo : une pièce jointe ne peut pas dépasser 10\u00a0Mo."
    )
    assert not UploadSession.objects.exists()


class Unreadable(io.BytesIO):
    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


@pytest.mark.parametrize(
    ("start", "length"), [(0, PIECE + 1), (len(PDF_BYTES) - 10, 64)], ids=["piece", "size"]
)
def test_a_piece_too_large_or_beyond_the_size_is_refused_before_it_is_read(
    officer_bignona, visit, start, length
):
    session = UploadSession.objects.create(
        user=officer_bignona,
        exchange=visit,
        submission_key=uuid.uuid4(),
        name="rapport.pdf",
        size=len(PDF_BYTES),
        received=start,
    )
    request = RequestFactory().generic(
        "PUT",
        f"/fr/exchanges/uploads/{session.pk}/",
        HTTP_CONTENT_RANGE=f"bytes {start}-{start + length - 1}/{len(PDF_BYTES)}",
        HTTP_X_OUTBOX="1",
        HTTP_X_OUTBOX_AUTHOR=str(officer_bignona.pk),
    )
    request.META["CONTENT_LENGTH"] = str(length)
    request.META["wsgi.input"] = Unreadable()
    request._stream = Unreadable()
    request.user = officer_bignona

    answer = upload_views.upload_piece(request, session_id=session.pk)

    assert answer.status_code == 413
    session.refresh_from_db()
    assert session.received == start


def test_stale_uploads_are_pruned_with_their_pieces(client, officer_bignona, visit, media_root):
    client.force_login(officer_bignona)
    opened = open_upload(client, officer_bignona, visit, PDF_BYTES, uuid.uuid4()).json()
    send_piece(client, officer_bignona, opened["url"], PDF_BYTES, 0, PIECE)
    fresh = open_upload(client, officer_bignona, visit, PDF_BYTES, uuid.uuid4()).json()
    long_ago = timezone.now() - datetime.timedelta(hours=73)
    UploadSession.objects.exclude(pk=fresh["url"].split("/")[-2]).update(updated_at=long_ago)

    call_command("prune_upload_sessions", stdout=io.StringIO())

    assert [str(s.pk) for s in UploadSession.objects.all()] == [fresh["url"].split("/")[-2]]
    assert list(media_root.rglob("*.part")) == []
