"""An attachment is stored and offered with the extension of its real type, never the sender's,
and a PDF that would run code when opened is refused."""

import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from exchanges.models import Attachment
from tests.factories import JPEG_BYTES, PDF_BYTES

pytestmark = pytest.mark.django_db


def upload(client, exchange, name, content):
    return client.post(
        f"/en/exchanges/{exchange.pk}/attachments/new/",
        {"file": SimpleUploadedFile(name, content), "caption_fr": "Compte rendu"},
    )


def pdf(*objects: bytes) -> bytes:
    body = b"".join(
        b"%d 0 obj\n%s\nendobj\n" % (number, obj) for number, obj in enumerate(objects, 1)
    )
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + body + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


def stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (dictionary, len(data), data)


CATALOG = b"<< /Type /Catalog /Pages 2 0 R /OpenAction %s >>"
ACTIVE_PDFS = {
    "open-action-js": pdf(CATALOG % b"<< /S /JavaScript /JS (app.alert(1)) >>"),
    "escaped-name": pdf(CATALOG % b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>"),
    "launch": pdf(CATALOG % b"<< /S /Launch /F (cmd.exe) >>"),
    "page-additional-action": pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Page /AA << /O << /S /JavaScript /JS 4 0 R >> >> >>",
    ),
    "in-an-object-stream": pdf(
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >>",
        stream(
            b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode",
            zlib.compress(b"3 0 << /S /JavaScript /JS (app.alert(1)) >>"),
        ),
    ),
}
PASSIVE_PDFS = {
    "plain": PDF_BYTES,
    "open-at-page": pdf(CATALOG % b"[3 0 R /Fit]"),
    # an image whose bytes happen to spell an action's name: content, not an action
    "image-bytes": pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        stream(b"/Type /XObject /Subtype /Image /Filter /DCTDecode", b"\x00/JS /Launch\xff"),
    ),
    "compressed-objects": pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        stream(
            b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode",
            zlib.compress(b"3 0 << /Type /Page /Parent 2 0 R >>"),
        ),
    ),
}


@pytest.mark.parametrize("content", ACTIVE_PDFS.values(), ids=ACTIVE_PDFS.keys())
def test_a_pdf_that_runs_code_is_refused(client, officer_savoie, visit, media_root, content):
    client.force_login(officer_savoie)

    response = upload(client, visit, "compte-rendu.pdf", content)

    assert response.status_code == 200
    assert "contains scripts or actions that launch programs" in str(
        response.context["form"].errors["file"]
    )
    assert not Attachment.objects.exists()


def test_a_pdf_whose_object_streams_cannot_be_read_is_refused(
    client, officer_savoie, visit, media_root
):
    client.force_login(officer_savoie)
    hidden = pdf(stream(b"/Type /ObjStm /N 1 /First 4 /Filter /LZWDecode", b"\x80\x0b\x60"))

    response = upload(client, visit, "compte-rendu.pdf", hidden)

    assert "could not be checked" in str(response.context["form"].errors["file"])
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("content", PASSIVE_PDFS.values(), ids=PASSIVE_PDFS.keys())
def test_a_passive_pdf_is_accepted(client, officer_savoie, visit, media_root, content):
    client.force_login(officer_savoie)

    response = upload(client, visit, "compte-rendu.pdf", content)

    assert response.status_code == 302
    assert Attachment.objects.get().content_type == "application/pdf"


@pytest.mark.parametrize(
    "sent_as, content, offered_as",
    [
        ("report.html", PDF_BYTES, "report.pdf"),
        ("x.js", JPEG_BYTES, "x.jpg"),
        ("photo.JPG", JPEG_BYTES, "photo.jpg"),
        ("no-extension", PDF_BYTES, "no-extension.pdf"),
    ],
)
def test_a_file_is_stored_and_offered_with_the_extension_of_its_real_type(
    client, officer_savoie, visit, media_root, sent_as, content, offered_as
):
    client.force_login(officer_savoie)
    upload(client, visit, sent_as, content)
    attachment = Attachment.objects.get()

    response = client.get(f"/fr/exchanges/attachments/{attachment.pk}/")

    assert attachment.file.name.endswith("." + offered_as.rsplit(".", 1)[1])
    assert attachment.original_name == sent_as  # kept for the record
    assert f'filename="{offered_as}"' in response["Content-Disposition"]
