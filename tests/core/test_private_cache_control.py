"""What a member is shown is kept by no shared cache; public pages keep their own policy."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from exchanges.models import Attachment
from tests.factories import JPEG_BYTES, ExchangeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("address", ["/fr/", "/fr/exchanges/", "/fr/questionings/"])
def test_pages_sent_to_a_member_are_private(client, officer_savoie, partnership, address):
    client.force_login(officer_savoie)

    response = client.get(address)

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_an_attachment_is_sent_private(client, officer_savoie, partnership, media_root):
    visit = ExchangeFactory()
    client.force_login(officer_savoie)
    client.post(
        f"/fr/exchanges/{visit.pk}/attachments/new/",
        {"file": SimpleUploadedFile("p.jpg", JPEG_BYTES), "caption_fr": "Photo"},
    )

    response = client.get(f"/fr/exchanges/attachments/{Attachment.objects.get().pk}/")

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_a_visitors_page_is_not_marked_private(client, partnership):
    response = client.get("/fr/")

    assert "private" not in response.get("Cache-Control", "")


def test_a_views_own_cache_policy_is_kept(client, officer_savoie, partnership):
    client.force_login(officer_savoie)

    response = client.get("/fr/admin/login/")  # the admin sends never_cache

    assert "no-store" in response["Cache-Control"]
