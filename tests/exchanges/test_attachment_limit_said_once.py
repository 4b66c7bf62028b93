"""One limit for attachments (settings.ATTACHMENT_MAX_BYTES), said the same by the form's help,
the validator, the "Too large" page and the outbox's check (issue 20, item 6)."""

import json
import re

import pytest

from tests.factories import JPEG_BYTES

pytestmark = pytest.mark.django_db


def test_the_form_help_and_the_outbox_check_say_the_same_limit(client, officer_bignona, visit):
    client.force_login(officer_bignona)

    page = client.get(f"/fr/exchanges/{visit.pk}/attachments/new/").content.decode()

    assert "document PDF, ODT, ODS, DOCX ou XLSX, de 10\u00a0Mo au plus" in page
    assert f'data-max-bytes="{10 * 1024 * 1024}"' in page
    config = json.loads(re.search(r'id="webapp-config"[^>]*>(.*?)</script>', page).group(1))
    assert config["attachmentMaxBytes"] == 10 * 1024 * 1024
    assert config["text"]["document"] == "Document : « %(label)s »"  # not "Photo"


def test_the_too_large_page_keeps_the_menu_says_the_limit_and_leads_back_to_the_exchange(
    client, officer_bignona, visit
):
    client.force_login(officer_bignona)

    response = client.generic(
        "POST",
        f"/fr/exchanges/{visit.pk}/attachments/new/",
        JPEG_BYTES,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(30 * 1024 * 1024),
    )

    page = response.content.decode()
    assert response.status_code == 413
    assert "pèse plus de 10\u00a0Mo" in page
    assert "11\u00a0Mo" not in page
    assert f'href="/fr/exchanges/{visit.pk}/"' in page
    assert "Retour à l’échange" in page
    assert 'aria-label="Menu principal"' in page
    assert 'href="/fr/exchanges/"' in page
