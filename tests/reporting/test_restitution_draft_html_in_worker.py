"""An officer opens the live draft of a large year: the request does not render it (that takes
seconds for hundreds of exchanges), the task worker does, and the officer reads it once ready.
A small year's draft is still rendered at once; how small is told by one aggregate query."""

import pytest

from exchanges.models import CrossView, Exchange
from reporting import drafts
from reporting.drafts import render_draft_pdf
from reporting.models import DraftRendering
from tests.reporting_factories import (
    RestitutionFactory,
    isolate_draft_renderings,
    year_of_exchanges,
)

pytestmark = pytest.mark.django_db

DRAFT = "/fr/restitutions/2016/?draft=1"
BILINGUAL_DRAFT = "/en/restitutions/2016/?edition=bilingual&draft=1"


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    isolate_draft_renderings(settings, tmp_path)


@pytest.fixture
def draft(partnership):
    year_of_exchanges(partnership, exchanges=3)
    return RestitutionFactory(partnership=partnership)


@pytest.fixture
def large(monkeypatch, draft):
    """The same year, counted as large: more exchanges than may be rendered in a request."""
    monkeypatch.setattr(drafts, "IN_REQUEST_MAX_EXCHANGES", 2)
    return draft


@pytest.fixture
def no_rendering_in_requests(monkeypatch):
    """Any rendering of an edition fails; `allow()` lets the worker's through."""

    def refused(*args, **kwargs):
        raise AssertionError("a web request rendered a draft")

    monkeypatch.setattr("reporting.views.render_edition", refused)
    monkeypatch.setattr("reporting.document.render_edition", refused)
    return monkeypatch.undo


def test_a_large_drafts_html_is_rendered_by_the_worker_and_then_read(
    client, large, officer_savoie, no_rendering_in_requests
):
    client.force_login(officer_savoie)

    asked = client.get(DRAFT)

    assert asked.status_code == 302
    rendering = DraftRendering.objects.get()
    assert (rendering.format, rendering.edition, rendering.status) == ("html", "fr", "pending")
    assert asked["Location"] == f"/fr/restitutions/2016/pdf/drafts/{rendering.pk}/"
    waiting = client.get(asked["Location"])
    assert waiting["Cache-Control"] == "private, no-store"
    page = waiting.content.decode()
    assert "Le brouillon est en cours de préparation." in page
    assert '<meta http-equiv="refresh" content="3">' in page

    no_rendering_in_requests()  # the worker renders
    render_draft_pdf.call(rendering.pk)

    rendering.refresh_from_db()
    assert rendering.status == DraftRendering.Status.DONE
    assert rendering.file.name.endswith(".html")
    ready = client.get(asked["Location"])
    assert ready.status_code == 302
    assert ready["Location"] == asked["Location"] + "download/"
    read = client.get(ready["Location"])
    assert read.status_code == 200
    assert read["Content-Type"] == "text/html; charset=utf-8"
    assert read["Content-Disposition"] == "inline"
    assert read["Cache-Control"] == "private, no-store"
    assert "Visite d’un EHPAD n° 1" in read.getvalue().decode()


def test_a_draft_with_few_exchanges_but_long_texts_is_rendered_by_the_worker(
    client, monkeypatch, draft, officer_savoie, no_rendering_in_requests
):
    monkeypatch.setattr(drafts, "IN_REQUEST_MAX_CHARACTERS", 30_000)
    Exchange.objects.filter(pk=Exchange.objects.order_by("pk").first().pk).update(
        summary_fr="Un long compte rendu. " * 1000  # 22 000 characters
    )
    draft.introduction_en = "A long introduction. " * 500  # 10 500 characters
    draft.save()
    client.force_login(officer_savoie)

    asked = client.get(BILINGUAL_DRAFT)

    assert asked.status_code == 302
    rendering = DraftRendering.objects.get()
    assert (rendering.format, rendering.edition) == ("html", "bilingual")


def test_a_small_drafts_html_is_rendered_at_once(client, draft, officer_savoie):
    client.force_login(officer_savoie)

    response = client.get(DRAFT)

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "Visite d’un EHPAD n° 1" in response.content.decode()
    assert not DraftRendering.objects.exists()


def test_telling_a_draft_is_large_costs_one_query_whatever_the_year(
    partnership, django_assert_num_queries
):
    year_of_exchanges(partnership, exchanges=25)
    draft = RestitutionFactory(partnership=partnership)

    with django_assert_num_queries(1):
        assert drafts.draft_html_is_small(draft)


def test_the_size_counts_the_exchanges_and_every_text_in_both_languages(draft):
    exchanges, characters = drafts.draft_size(draft)
    assert exchanges == 3
    exchange = Exchange.objects.order_by("pk").first()
    Exchange.objects.filter(pk=exchange.pk).update(summary_en="s" * 1000)
    view = CrossView.objects.order_by("pk").first()
    CrossView.objects.filter(pk=view.pk).update(text_en=(view.text_en or "") + "v" * 100)
    draft.conclusion_en = (draft.conclusion_en or "") + "c" * 10
    added = 1000 - len(exchange.summary_en or "") + 100 + 10

    assert drafts.draft_size(draft) == (3, characters + added)


def test_an_officer_with_a_draft_being_prepared_waits_before_asking_another(
    client, large, officer_savoie
):
    client.force_login(officer_savoie)
    client.get(DRAFT)

    response = client.get("/fr/restitutions/2016/pdf/?draft=1")

    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    assert DraftRendering.objects.count() == 1


def test_over_the_sites_limit_a_large_draft_is_refused_and_nothing_is_enqueued(
    client, settings, large, officer_savoie, officer_bignona
):
    settings.RESTITUTION_RENDERS_AT_ONCE = 1
    client.force_login(officer_bignona)
    client.get("/fr/restitutions/2016/pdf/?draft=1")
    client.force_login(officer_savoie)

    response = client.get(DRAFT)

    assert response.status_code == 429
    page = response.content.decode()
    assert "Trop de brouillons sont en préparation en ce moment." in page
    assert "<h1>Le brouillon ne peut pas être préparé maintenant</h1>" in page
    assert DraftRendering.objects.count() == 1


def test_an_elected_official_cannot_read_a_rendered_draft(
    client, large, officer_savoie, elected_official
):
    client.force_login(officer_savoie)
    status_page = client.get(DRAFT)["Location"]
    render_draft_pdf.call(DraftRendering.objects.get().pk)
    client.force_login(elected_official)

    assert client.get(status_page).status_code == 403
    assert client.get(status_page + "download/").status_code == 403
