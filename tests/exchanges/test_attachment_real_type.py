"""An attachment is stored and offered with the extension of its real type, never the sender's,
and a PDF that would run code when opened is refused: its structure is read by a PDF parser
(pypdf), object streams included, wherever the action is kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from exchanges.models import Attachment
from tests.factories import JPEG_BYTES, PDF_BYTES
from tests.pdfs import document, stream

pytestmark = pytest.mark.django_db


def upload(client, exchange, name, content):
    return client.post(
        f"/en/exchanges/{exchange.pk}/attachments/new/",
        {"file": SimpleUploadedFile(name, content), "caption_fr": "Compte rendu"},
    )


JS = b"<< /S /JavaScript /JS (app.alert(1)) >>"
OBJECT_STREAM = b"/Type /ObjStm"
ACTIVE_PDFS = {
    "open-action-js": document(b" /OpenAction " + JS),
    "escaped-name": document(b" /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"),
    "launch": document(b" /OpenAction << /S /Launch /F (cmd.exe) >>"),
    "catalog-additional-action": document(b" /AA << /WC 4 0 R >>", b"", JS),
    "page-additional-action": document(b"", b" /AA << /O 4 0 R >>", JS),
    "link-annotation": document(
        b"",
        b" /Annots [4 0 R]",
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A 5 0 R >>",
        b"<< /S /Launch /F (calc.exe) >>",
    ),
    "chained-action": document(b" /OpenAction << /S /GoTo /D [3 0 R /Fit] /Next 4 0 R >>", b"", JS),
    "named-scripts": document(
        b" /Names << /JavaScript 4 0 R >>", b"", b"<< /Names [(a) 5 0 R] >>", JS
    ),
    "embedded-file": document(
        b" /Names << /EmbeddedFiles << /Names [(x.exe) 4 0 R] >> >>",
        b"",
        b"<< /Type /Filespec /F (x.exe) /EF << /F 5 0 R >> >>",
        stream(b"/Type /EmbeddedFile", b"MZ"),
    ),
    "in-an-object-stream": document(b" /OpenAction 4 0 R", b"", JS, packed=[4]),
    # The two ways round the former scanner: the text "stream" and a line end inside a string
    # (it skipped to the next "endstream", over the action)...
    "stream-inside-a-string": document(
        b" /Lang (fr stream\n) /OpenAction 4 0 R",
        b" /Contents 5 0 R",
        JS,
        stream(b"", b"BT ET"),
    ),
    # the offsets broken (one byte more in front): repaired by the parser, the action found
    "broken-offsets": document(b" /OpenAction 4 0 R", b"", JS, packed=[4]).replace(
        b"%PDF-1.7", b"%PDF-1.7 "
    ),
    # ...and an object stream whose dictionary also holds /obj (never inflated).
    "object-stream-holding-obj": document(
        b" /OpenAction 4 0 R", b"", JS, packed=[4], object_stream_extra=b"/Note /obj"
    ),
}
PASSIVE_PDFS = {
    "plain": PDF_BYTES,
    "open-at-page": document(b" /OpenAction [3 0 R /Fit]"),
    "web-link": document(
        b"",
        b" /Annots [4 0 R]",
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] "
        b"/A << /S /URI /URI (https://savoie.fr) >> >>",
    ),
    # an image whose bytes happen to spell an action's name: content, not an action
    "image-bytes": document(
        b"",
        b" /Resources << /XObject << /Im1 4 0 R >> >>",
        stream(
            b"/Type /XObject /Subtype /Image /Width 1 /Height 1 /Filter /DCTDecode",
            b"\x00/JS /Launch\xff",
        ),
    ),
    "compressed-objects": document(
        b"", b" /Annots [4 0 R]", b"<< /Type /Annot /Subtype /Text /Rect [0 0 9 9] >>", packed=[4]
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


@pytest.mark.parametrize(
    "hidden",
    [
        document(b" /OpenAction 4 0 R", b"", JS, packed=[4]).replace(
            b"/FlateDecode", b"/LZWDecode  "
        ),
        b"%PDF-1.7\n" + b"1 0 obj << /Type /Catalog " * 10 + b"%%EOF",
        document(b" /OpenAction 4 0 R", b"", JS).replace(b"startxref", b"startxre"),
    ],
    ids=["unreadable-object-stream", "no-structure", "no-cross-references"],
)
def test_a_pdf_that_cannot_be_read_is_refused(client, officer_savoie, visit, media_root, hidden):
    client.force_login(officer_savoie)

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
    ("sent_as", "content", "offered_as"),
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


@pytest.mark.parametrize(
    ("name", "content", "disposition"),
    [("compte-rendu.pdf", PDF_BYTES, "attachment"), ("photo.jpg", JPEG_BYTES, "inline")],
)
def test_a_members_documents_are_downloaded_and_only_photos_shown(
    client, officer_savoie, visit, media_root, name, content, disposition
):
    client.force_login(officer_savoie)
    upload(client, visit, name, content)

    response = client.get(f"/fr/exchanges/attachments/{Attachment.objects.get().pk}/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(disposition)
    assert response["X-Content-Type-Options"] == "nosniff"
