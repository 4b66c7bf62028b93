"""A request larger than any page needs is refused before anything reads its body, even from a
visitor who is not logged in."""

import io

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from exchanges.models import Attachment
from tests.factories import JPEG_BYTES, ExchangeFactory

pytestmark = pytest.mark.django_db

ONE_GIGABYTE = 1024**3


class CountingInput(io.BytesIO):
    """The request's body, counting what is read from it."""

    read_bytes = 0

    def read(self, size=-1):
        data = super().read(size)
        self.read_bytes += len(data)
        return data

    def readline(self, size=-1):
        data = super().readline(size)
        self.read_bytes += len(data)
        return data


def post_announcing(client, address: str, length: str, body: bytes = b"--x\r\n", **headers):
    body_input = CountingInput(body)
    response = client.generic(
        "POST",
        address,
        body,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=length,
        **{"wsgi.input": body_input},
        **headers,
    )
    return response, body_input


@pytest.mark.parametrize(("language", "words"), [("fr", "Trop lourd"), ("en", "Too large")])
def test_an_anonymous_gigabyte_to_an_attachment_address_is_refused_unread(visit, language, words):
    client = Client(enforce_csrf_checks=True)  # as a browser: the CSRF check reads the body

    response, body = post_announcing(
        client, f"/{language}/exchanges/{visit.pk}/attachments/new/", str(ONE_GIGABYTE)
    )

    assert response.status_code == 413
    assert words in response.content.decode()
    assert body.read_bytes == 0
    assert not Attachment.objects.exists()


def test_a_chunked_body_without_a_length_is_refused_unread(visit):
    client = Client(enforce_csrf_checks=True)

    response, body = post_announcing(
        client,
        f"/fr/exchanges/{visit.pk}/attachments/new/",
        "",
        b"5\r\nhello\r\n0\r\n\r\n",
        HTTP_TRANSFER_ENCODING="chunked",
    )

    assert response.status_code == 411
    assert body.read_bytes == 0


def test_the_limit_lets_the_largest_attachment_through(client, officer_savoie, media_root):
    assert django_settings.MAX_REQUEST_BYTES > django_settings.ATTACHMENT_MAX_BYTES + 64 * 1024
    visit = ExchangeFactory()
    client.force_login(officer_savoie)
    photo = JPEG_BYTES + b"\x00" * (django_settings.ATTACHMENT_MAX_BYTES - len(JPEG_BYTES))

    response = client.post(
        f"/fr/exchanges/{visit.pk}/attachments/new/",
        {
            "file": SimpleUploadedFile("photo.jpg", photo, content_type="image/jpeg"),
            "caption_fr": "La plus grande photo permise, très détaillée " * 6,
        },
    )

    assert response.status_code == 302
    assert Attachment.objects.get().size == django_settings.ATTACHMENT_MAX_BYTES
