"""An officer chose photos of the year's exchanges "for the restitution": an elected official
finds them in the edition, next to their exchange, with their caption and who took them, and
the photo credits name every photographer once. The PDF carries the photos themselves, read
through the attachments' storage (here in memory, as S3 would be: never a path on disk)."""

import io

import pytest
from pypdf import PdfReader

from reporting.content import restitution_content
from reporting.document import render_edition
from tests.factories import AttachmentFactory
from tests.reporting_factories import RestitutionFactory, year_of_exchanges

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_publishing")]


@pytest.fixture
def photos(partnership):
    first, second, *_ = year_of_exchanges(partnership, exchanges=3)
    chosen = AttachmentFactory(
        exchange=first,
        for_restitution=True,
        with_thumbnail=True,
        caption_fr="Atelier mémoire à Chambéry",
        caption_en="",
        credit="Ousmane Sané",
        width=40,
        height=30,
    )
    other = AttachmentFactory(
        exchange=second,
        for_restitution=True,
        caption_fr="Visite du foyer de Bignona",
        caption_en="Visit to the Bignona home",
        credit="Ousmane Sané",
    )
    kept_for_the_exchange = AttachmentFactory(
        exchange=second, caption_fr="Photo de groupe", credit="Marie Dupont"
    )
    RestitutionFactory(partnership=partnership)
    return chosen, other, kept_for_the_exchange


def test_the_chosen_photos_are_shown_with_their_exchange_caption_and_credit(
    client, photos, officer_savoie
):
    chosen, other, _kept = photos
    client.force_login(officer_savoie)

    html = client.get("/fr/restitutions/2016/").content.decode()

    assert f'src="/fr/exchanges/attachments/{chosen.pk}/thumbnail/"' in html
    assert f'src="/fr/exchanges/attachments/{other.pk}/"' in html  # no thumbnail: the photo
    assert "Atelier mémoire à Chambéry" in html
    assert "Photo de groupe" not in html
    assert "Marie Dupont" not in html
    # Inside its exchange's article, before the next exchange.
    article = html.split(f'id="exchange-{chosen.exchange_id}"')[1].split('class="exchange"')[0]
    assert "Atelier mémoire à Chambéry" in article
    # The credits name the photographer once.
    credits = html.split('class="credits"')[1].split("</p>")[0]
    assert credits.count("Ousmane Sané") == 1


def test_an_untranslated_caption_is_marked_in_the_english_edition(client, photos, officer_savoie):
    client.force_login(officer_savoie)

    html = client.get("/en/restitutions/2016/").content.decode()

    assert '<span lang="fr">Atelier mémoire à Chambéry</span>' in html
    assert "not yet translated" in html
    assert "Visit to the Bignona home" in html
    assert "Photo: Ousmane Sané" in html


def test_the_photo_is_served_to_members_only(client, photos, elected_official):
    chosen, _other, _kept = photos
    url = f"/fr/exchanges/attachments/{chosen.pk}/thumbnail/"

    assert client.get(url).status_code == 302  # to the login page

    client.force_login(elected_official)
    assert client.get(url).status_code == 200


@pytest.mark.real_pdf
def test_the_pdf_carries_the_photos_read_through_the_storage(settings, partnership):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    first, second, *_ = year_of_exchanges(partnership, exchanges=2)
    AttachmentFactory(exchange=first, for_restitution=True, credit="Ousmane Sané")
    AttachmentFactory(exchange=second, for_restitution=True, credit="Marie Dupont")
    restitution = RestitutionFactory(partnership=partnership)

    pdf = render_edition(restitution_content(restitution), edition="fr", format="pdf")

    reader = PdfReader(io.BytesIO(pdf))
    # WeasyPrint shares its image objects between the pages' resources: count them once.
    images = {image.name for page in reader.pages for image in page.images}
    assert len(images) == 2
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Ousmane Sané" in text
    assert "Marie Dupont" in text
