"""Photos and documents: checked by their content and size, served to members only."""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from exchanges.models import Attachment
from tests.factories import JPEG_BYTES, PDF_BYTES, AttachmentFactory

pytestmark = pytest.mark.django_db


def picture(format: str) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (12, 9), (160, 82, 45)).save(output, format=format)
    return output.getvalue()


PNG_BYTES = picture("PNG")
WEBP_BYTES = picture("WEBP")


def upload(client, exchange, name, content, content_type="image/jpeg", **fields):
    data = {"caption_fr": "La délégation à l'EHPAD", "credit": "CD73", **fields}
    data["file"] = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(f"/fr/exchanges/{exchange.pk}/attachments/new/", data)


@pytest.mark.parametrize(
    ("name", "content", "expected_type"),
    [
        ("photo.jpg", JPEG_BYTES, "image/jpeg"),
        ("photo.png", PNG_BYTES, "image/png"),
        ("photo.webp", WEBP_BYTES, "image/webp"),
        ("compte-rendu.pdf", PDF_BYTES, "application/pdf"),
        ("renamed.txt", JPEG_BYTES, "image/jpeg"),  # the content decides, not the name
    ],
)
def test_an_officer_adds_a_photo_or_a_document(
    client, officer_bignona, visit, media_root, name, content, expected_type
):
    client.force_login(officer_bignona)

    response = upload(client, visit, name, content)

    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == expected_type
    assert attachment.size == len(content)
    assert attachment.original_name == name
    assert attachment.uploaded_by == officer_bignona
    assert name not in attachment.file.name  # stored under a name nobody chose
    recorded = Attachment.history.get()  # one history row, naming who added it
    assert (recorded.history_type, recorded.history_user) == ("+", officer_bignona)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.html", b"<html><script>alert(1)</script>", "ni une photo JPEG, PNG ou WebP"),
        ("fake.jpg", b"MZ\x90\x00 an executable named .jpg", "ni une photo JPEG, PNG ou WebP"),
        ("empty.pdf", b"", "Le fichier soumis est vide."),
        (
            "big.jpg",
            JPEG_BYTES + b"\x00" * settings.ATTACHMENT_MAX_BYTES,
            "une pièce jointe ne peut pas dépasser",
        ),
    ],
)
def test_a_file_of_the_wrong_type_or_too_big_is_refused_and_the_caption_kept(
    client, officer_savoie, visit, media_root, name, content, message
):
    client.force_login(officer_savoie)

    response = upload(client, visit, name, content, caption_fr="Légende tapée avec soin")

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors["file"])
    html = response.content.decode()
    assert 'id="id_file_error"' in html
    assert 'value="Légende tapée avec soin"' in html
    assert Attachment.objects.count() == 0


def test_members_open_an_attachment_and_anonymous_visitors_do_not(
    client, elected_official, visit, media_root
):
    attachment = AttachmentFactory(exchange=visit)
    url = f"/fr/exchanges/attachments/{attachment.pk}/"

    anonymous = client.get(url)
    client.force_login(elected_official)
    member = client.get(url)

    assert anonymous.status_code == 302
    assert member.status_code == 200
    assert member["Content-Type"] == "image/jpeg"
    assert member["X-Content-Type-Options"] == "nosniff"
    assert b"".join(member.streaming_content) == JPEG_BYTES


def test_the_detail_page_shows_thumbnails_with_caption_and_credit_not_the_photos(
    client, officer_savoie, visit, media_root
):
    AttachmentFactory(
        exchange=visit, caption_fr="Atelier au foyer", credit="M. Diatta", with_thumbnail=True
    )
    client.force_login(officer_savoie)

    html = client.get(f"/fr/exchanges/{visit.pk}/").content.decode()

    assert "Atelier au foyer" in html
    assert "M. Diatta" in html
    # A slow connection loads small thumbnails, lazily; the photo itself only when asked.
    attachment = visit.attachments.get()
    assert f'src="/fr/exchanges/attachments/{attachment.pk}/thumbnail/"' in html
    assert 'loading="lazy"' in html
    assert f'<img src="/fr/exchanges/attachments/{attachment.pk}/"' not in html


def test_an_elected_official_cannot_add_a_file(client, elected_official, visit, media_root):
    client.force_login(elected_official)

    response = upload(client, visit, "photo.jpg", JPEG_BYTES)

    assert response.status_code == 403
    assert "Seuls les chargés de mission ajoutent des photos" in response.content.decode()
    assert Attachment.objects.count() == 0


def test_the_uploader_removes_their_file_and_others_cannot(
    client, officer_bignona, elected_official, visit, media_root, django_capture_on_commit_callbacks
):
    mine = AttachmentFactory(exchange=visit, uploaded_by=officer_bignona)
    stored = mine.file.path
    client.force_login(elected_official)
    refused = client.post(f"/fr/exchanges/attachments/{mine.pk}/delete/")
    client.force_login(officer_bignona)

    with django_capture_on_commit_callbacks(execute=True):
        removed = client.post(f"/fr/exchanges/attachments/{mine.pk}/delete/")

    assert refused.status_code == 403
    assert removed.status_code == 302
    assert not Attachment.objects.exists()
    assert not media_root.joinpath(stored).exists()
