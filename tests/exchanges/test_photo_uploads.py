"""Photos and documents as the server receives them: checked by their content (Pillow opens
every photo to its last byte), the place where a photo was taken removed unless its uploader
keeps it, a thumbnail stored beside it, office documents served as downloads."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation
from PIL import ExifTags, Image

from core.templatetags.file_sizes import file_size
from exchanges import services
from exchanges.models import Attachment
from exchanges.selectors import restitution_photos
from exchanges.validators import DOCX, ODT
from tests.factories import AttachmentFactory, ExchangeFactory

pytestmark = pytest.mark.django_db
GPS = ExifTags.IFD.GPSInfo


def phone_photo(size=(1200, 900), *, located=True, orientation=1) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone"
    exif[ExifTags.Base.Orientation] = orientation
    if located:
        exif[GPS] = {1: "N", 2: (12.0, 48.0, 0.0), 3: "W", 4: (16.0, 14.0, 0.0)}
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif.tobytes(), quality=85)
    return output.getvalue()


def office_document(kind: str, *, macros: bool = False) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        if kind == "odt":
            archive.writestr("mimetype", ODT, compress_type=zipfile.ZIP_STORED)
            archive.writestr("content.xml", "<office:document-content/>")
            if macros:
                archive.writestr("Basic/Standard/Module1.xml", "Sub Main\nEnd Sub")
        else:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", "<w:document/>")
            if macros:
                archive.writestr("word/vbaProject.bin", b"\x00macro")
    return output.getvalue()


def upload(client, exchange, name, content, **fields):
    data = {"caption_fr": "Atelier au foyer", "credit": "A. Diatta", **fields}
    data["file"] = SimpleUploadedFile(name, content, content_type="image/jpeg")
    return client.post(f"/fr/exchanges/{exchange.pk}/attachments/new/", data)


def stored_files(media_root) -> list:
    return [path for path in media_root.rglob("*") if path.is_file()] if media_root.exists() else []


TRUNCATED = phone_photo()[:-4000]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.jpg", b"<!DOCTYPE html><html><body>Hello</body></html>", "ni une photo JPEG"),
        (
            "logo.svg",
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script/></svg>',
            "Les dessins SVG ne sont pas acceptés",
        ),
        ("cut.jpg", TRUNCATED, "Cette photo est abîmée ou incomplète"),
        ("macros.docx", office_document("docx", macros=True), "Ce document contient des macros"),
        ("macros.odt", office_document("odt", macros=True), "Ce document contient des macros"),
    ],
)
def test_a_bad_upload_is_refused_with_a_clear_message_and_nothing_is_stored(
    client, officer_bignona, visit, media_root, name, content, message
):
    client.force_login(officer_bignona)

    response = upload(client, visit, name, content)

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors["file"])
    assert 'value="Atelier au foyer"' in response.content.decode()  # what was typed stays
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_a_30_mb_file_is_refused_before_it_is_read_and_nothing_is_stored(
    client, officer_bignona, visit, media_root
):
    client.force_login(officer_bignona)

    response = upload(client, visit, "huge.jpg", b"\xff\xd8\xff" + b"\x00" * (30 * 1024 * 1024))

    assert response.status_code == 413
    assert "Trop lourd pour être envoyé" in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_the_service_says_a_30_mb_file_is_too_heavy_in_french_units(
    officer_bignona, visit, media_root
):
    huge = SimpleUploadedFile("huge.jpg", b"\xff\xd8\xff" + b"\x00" * (30 * 1024 * 1024))

    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        services.attachment_add(
            exchange=visit, author=officer_bignona, file=huge, caption_fr="Trop lourde"
        )

    assert refused.value.message_dict["file"] == [
        "Ce fichier pèse 30\u00a0Mo : une pièce jointe ne peut pas dépasser 10\u00a0Mo."
    ]
    assert stored_files(media_root) == []


def test_the_place_a_photo_was_taken_is_removed_and_a_thumbnail_is_stored(
    client, officer_bignona, visit, media_root
):
    client.force_login(officer_bignona)

    response = upload(client, visit, "IMG_0042.jpg", phone_photo())

    assert response.status_code == 302
    attachment = Attachment.objects.get()
    with attachment.file.open("rb") as stored:
        photo = Image.open(stored)
        assert not photo.getexif().get_ifd(GPS)
        assert photo.getexif()[ExifTags.Base.Make] == "Phone"
        assert photo.size == (1200, 900)
    assert attachment.size == attachment.file.size
    with attachment.thumbnail.open("rb") as small:
        assert Image.open(small).size == (480, 360)
    assert (attachment.width, attachment.height) == (1200, 900)
    thumbnail = client.get(f"/fr/exchanges/attachments/{attachment.pk}/thumbnail/")
    assert thumbnail["Content-Type"] == "image/jpeg"
    assert "immutable" in thumbnail["Cache-Control"]
    page = client.get(f"/fr/exchanges/{visit.pk}/").content.decode()
    assert f'src="/fr/exchanges/attachments/{attachment.pk}/thumbnail/"' in page
    assert "Atelier au foyer" in page
    assert "A. Diatta" in page


def test_the_uploader_may_keep_the_place_and_a_browser_turned_photo_stays_upright(
    client, officer_bignona, visit, media_root
):
    client.force_login(officer_bignona)

    upload(client, visit, "IMG.jpg", phone_photo(orientation=6), keep_location="on", upright="on")

    attachment = Attachment.objects.get()
    with attachment.file.open("rb") as stored:
        exif = Image.open(stored).getexif()
    assert exif.get_ifd(GPS)[1] == "N"  # kept, as asked
    assert exif[ExifTags.Base.Orientation] == 1  # the browser already turned the pixels
    assert (attachment.width, attachment.height) == (1200, 900)


def test_a_photo_sent_without_the_browser_turning_it_shows_upright_in_its_thumbnail(
    client, officer_bignona, visit, media_root
):
    client.force_login(officer_bignona)

    upload(client, visit, "IMG.jpg", phone_photo(located=False, orientation=6))

    attachment = Attachment.objects.get()
    with attachment.thumbnail.open("rb") as small:
        assert Image.open(small).size == (360, 480)  # turned as the camera said


@pytest.mark.parametrize(
    ("name", "kind", "content_type", "extension"),
    [("compte-rendu.odt", "odt", ODT, "odt"), ("bilan.docx", "docx", DOCX, "docx")],
)
def test_office_documents_are_accepted_and_served_as_downloads(
    client, officer_bignona, visit, media_root, name, kind, content_type, extension
):
    client.force_login(officer_bignona)

    response = upload(client, visit, name, office_document(kind))

    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == content_type
    assert not attachment.thumbnail
    download = client.get(f"/fr/exchanges/attachments/{attachment.pk}/")
    assert download["Content-Disposition"].startswith("attachment;")
    assert f'.{extension}"' in download["Content-Disposition"]
    page = client.get(f"/fr/exchanges/{visit.pk}/").content.decode()
    assert f"document {extension.upper()}" in page


def test_a_pdf_is_downloaded_too_never_shown_inline(client, elected_official, visit, media_root):
    attachment = AttachmentFactory(
        exchange=visit, content_type="application/pdf", original_name="rapport.pdf"
    )
    client.force_login(elected_official)

    download = client.get(f"/fr/exchanges/attachments/{attachment.pk}/")

    assert download["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    ("language", "size", "shown"),
    [
        ("fr", 12, "12\u00a0octets"),
        ("fr", 450 * 1024, "450\u00a0Ko"),
        ("fr", int(3.2 * 1024 * 1024), "3,2\u00a0Mo"),
        ("fr", 10 * 1024 * 1024, "10\u00a0Mo"),
        ("en", int(3.2 * 1024 * 1024), "3.2\u00a0MB"),
    ],
)
def test_sizes_are_shown_in_the_readers_units(language, size, shown):
    with translation.override(language):
        assert file_size(size) == shown


def test_the_restitution_gets_the_chosen_photos_with_their_credits(
    partnership, django_assert_num_queries, media_root
):
    first = ExchangeFactory(start_date="2016-03-01")
    later = ExchangeFactory(start_date="2016-09-01")
    chosen = [
        AttachmentFactory(exchange=later, for_restitution=True, credit="A. Diatta"),
        AttachmentFactory(exchange=first, for_restitution=True, credit="CD73"),
    ]
    AttachmentFactory(exchange=first)  # not chosen
    AttachmentFactory(exchange=ExchangeFactory(start_date="2017-01-10"), for_restitution=True)

    with django_assert_num_queries(1):
        photos = [(photo, photo.exchange.title) for photo in restitution_photos(partnership, 2016)]

    assert [photo for photo, _title in photos] == [chosen[1], chosen[0]]
    assert [photo.credit for photo, _title in photos] == ["CD73", "A. Diatta"]


@override_settings(DEBUG=True)
def test_the_service_worker_and_the_manifest_make_the_site_installable(client, partnership):
    worker = client.get("/sw.js")
    manifest = client.get("/fr/manifest.webmanifest").json()

    assert worker.status_code == 200
    assert worker["Content-Type"].startswith("text/javascript")
    assert worker["Service-Worker-Allowed"] == "/"
    assert "no-cache" in worker["Cache-Control"]
    assert b"self.SHELL = " in worker.content
    assert b"/static/css/site.css" in worker.content
    assert manifest["start_url"] == "/fr/exchanges/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["lang"] == "fr"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    page = client.get("/fr/").content.decode()
    assert '<link rel="manifest" href="/fr/manifest.webmanifest">' in page
    assert '<script src="/static/js/outbox.js" defer></script>' in page
