"""An officer asks for a draft's PDF: the request returns at once with a page that says it is
being prepared, the task worker renders it, then the officer downloads it. No WeasyPrint in a
web request; a few renderings at once on the site, one per user."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from reporting.drafts import render_draft_pdf
from reporting.models import DraftRendering
from tests.conftest import PDF_RENDERER
from tests.fake_pdf import fake_html_to_pdf
from tests.reporting_factories import (
    RestitutionFactory,
    isolate_draft_renderings,
    pdf_text,
    year_of_exchanges,
)

pytestmark = pytest.mark.django_db

DRAFT_PDF = "/fr/restitutions/2016/pdf/?draft=1"
BILINGUAL_DRAFT_PDF = "/fr/restitutions/2016/pdf/?edition=bilingual&draft=1"


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    isolate_draft_renderings(settings, tmp_path)


@pytest.fixture
def draft(partnership):
    year_of_exchanges(partnership)
    return RestitutionFactory(partnership=partnership)


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The HTML each call of the PDF renderer was given."""
    calls: list[str] = []

    def counted(html: str) -> bytes:
        calls.append(html)
        return fake_html_to_pdf(html)

    monkeypatch.setattr(PDF_RENDERER, counted)
    return calls


def test_an_officer_is_told_at_once_the_pdf_is_being_prepared_then_downloads_it(
    client, draft, officer_savoie, renders
):
    client.force_login(officer_savoie)

    asked = client.get(DRAFT_PDF)

    assert asked.status_code == 302
    assert renders == [], "the request rendered the PDF itself"
    rendering = DraftRendering.objects.get()
    assert (rendering.status, rendering.edition) == (DraftRendering.Status.PENDING, "fr")
    assert rendering.requested_by == officer_savoie
    assert rendering.task_id
    assert asked["Location"] == f"/fr/restitutions/2016/pdf/drafts/{rendering.pk}/"
    waiting = client.get(asked["Location"])
    assert waiting["Cache-Control"] == "private, no-store"
    page = waiting.content.decode()
    assert "Le PDF est en cours de préparation." in page
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "download/" not in page

    render_draft_pdf.call(rendering.pk)  # what `manage.py db_worker` does

    rendering.refresh_from_db()
    assert (rendering.status, rendering.progress) == (DraftRendering.Status.DONE, 100)
    assert len(renders) == 1
    page = client.get(asked["Location"]).content.decode()
    assert "Le PDF est prêt." in page
    assert "http-equiv" not in page
    download = client.get(asked["Location"] + "download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"] == "private, no-store"
    assert "Visite d’un EHPAD n° 1" in pdf_text(download.getvalue())


def test_the_download_waits_until_the_pdf_is_ready(client, draft, officer_savoie):
    client.force_login(officer_savoie)
    status_page = client.get(DRAFT_PDF)["Location"]

    assert client.get(status_page + "download/").status_code == 404


def test_asking_again_while_it_is_rendered_shows_the_same_rendering(
    client, draft, officer_savoie, officer_bignona
):
    client.force_login(officer_savoie)
    first = client.get(DRAFT_PDF)["Location"]
    again = client.get(DRAFT_PDF)["Location"]
    client.force_login(officer_bignona)
    colleague = client.get(DRAFT_PDF)["Location"]

    assert first == again == colleague
    assert DraftRendering.objects.count() == 1


def test_asking_again_once_it_is_done_renders_the_current_data(
    client, draft, officer_savoie, renders
):
    client.force_login(officer_savoie)
    first = DraftRendering.objects.get(pk=client.get(DRAFT_PDF)["Location"].split("/")[-2])
    render_draft_pdf.call(first.pk)
    draft.introduction_fr = "Une introduction réécrite après le premier PDF."
    draft.save()

    second = client.get(DRAFT_PDF)["Location"]

    assert second != f"/fr/restitutions/2016/pdf/drafts/{first.pk}/"
    assert DraftRendering.objects.count() == 2
    render_draft_pdf.call(DraftRendering.objects.exclude(pk=first.pk).get().pk)
    assert len(renders) == 2
    assert "Une introduction réécrite" not in renders[0]
    assert "Une introduction réécrite après le premier PDF." in renders[1]


def test_an_officer_waits_for_their_pdf_before_asking_for_another(client, draft, officer_savoie):
    client.force_login(officer_savoie)
    client.get(DRAFT_PDF)

    response = client.get(BILINGUAL_DRAFT_PDF)

    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    assert "Vous avez déjà un PDF en préparation." in response.content.decode()
    assert DraftRendering.objects.count() == 1


def test_over_the_sites_limit_the_pdf_is_refused_and_nothing_is_enqueued(
    client, settings, draft, officer_savoie, officer_bignona, administrator
):
    settings.RESTITUTION_RENDERS_AT_ONCE = 1
    client.force_login(officer_bignona)
    client.get(DRAFT_PDF)
    client.force_login(officer_savoie)

    response = client.get(BILINGUAL_DRAFT_PDF)

    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Trop de PDF sont en préparation en ce moment." in page
    assert "<h1>Le PDF ne peut pas être préparé maintenant</h1>" in page
    assert DraftRendering.objects.count() == 1


def test_the_limit_holds_when_two_requests_take_the_same_place_at_once(
    draft, officer_savoie, officer_bignona
):
    DraftRendering.objects.create(
        restitution=draft, edition="fr", requested_by=officer_savoie, slot=1
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        DraftRendering.objects.create(
            restitution=draft, edition="en", requested_by=officer_bignona, slot=1
        )


def test_an_elected_official_cannot_ask_for_a_draft_pdf(client, draft, elected_official):
    client.force_login(elected_official)

    assert client.get(DRAFT_PDF).status_code == 403
    assert not DraftRendering.objects.exists()


def test_a_rendering_stuck_for_too_long_is_given_up_and_frees_its_place(
    client, settings, draft, officer_savoie, officer_bignona, renders
):
    settings.RESTITUTION_RENDERS_AT_ONCE = 1
    client.force_login(officer_bignona)
    client.get(DRAFT_PDF)
    stuck = DraftRendering.objects.get()
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    DraftRendering.objects.filter(pk=stuck.pk).update(status="rendering", started_at=an_hour_ago)
    client.force_login(officer_savoie)

    response = client.get(BILINGUAL_DRAFT_PDF)

    assert response.status_code == 302
    stuck.refresh_from_db()
    assert stuck.status == DraftRendering.Status.FAILED
    assert "Abandonné" in stuck.error
    render_draft_pdf.call(stuck.pk)  # the worker gets to it at last: nothing to do
    assert renders == []


def test_a_failed_rendering_says_so_and_offers_to_ask_again(
    client, draft, officer_savoie, monkeypatch
):
    def broken(html):
        raise RuntimeError("no fonts today")

    monkeypatch.setattr(PDF_RENDERER, broken)
    client.force_login(officer_savoie)
    status_page = client.get(DRAFT_PDF)["Location"]

    with pytest.raises(RuntimeError):
        render_draft_pdf.call(DraftRendering.objects.get().pk)

    page = client.get(status_page).content.decode()
    assert "Le PDF n’a pas pu être préparé." in page
    assert "no fonts today" in page
    assert 'href="/fr/restitutions/2016/pdf/?draft=1"' in page


def test_the_page_of_a_rendering_costs_a_fixed_number_of_queries(
    client, draft, officer_savoie, django_assert_num_queries
):
    client.force_login(officer_savoie)
    status_page = client.get(DRAFT_PDF)["Location"]

    # session, user with profile, partnership, restitution, the rendering, the navigation's
    # count of cross views to write
    with django_assert_num_queries(6):
        assert client.get(status_page).status_code == 200


def test_the_page_of_a_rendering_is_for_officers_and_administrators(
    client, draft, officer_savoie, elected_official
):
    client.force_login(officer_savoie)
    status_page = client.get(DRAFT_PDF)["Location"]
    client.force_login(elected_official)

    assert client.get(status_page).status_code == 403
    assert client.get(status_page + "download/").status_code == 403
