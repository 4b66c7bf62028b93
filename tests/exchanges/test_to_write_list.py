"""Each officer sees what their territory still has to write: the exchanges of their
partnership without its cross view, newest first, with a count in the navigation."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exchanges import selectors, services
from exchanges.models import Exchange
from partners.models import Partnership, Profile
from tests.admin_forms import admin_form
from tests.factories import (
    CrossViewFactory,
    ExchangeFactory,
    TerritoryFactory,
    bignona,
    exchange_form_data,
    savoie,
    user_with_role,
)

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [exchange.title for exchange in response.context["page"].items]


def test_a_bignona_officer_sees_the_exchanges_without_bignonas_cross_view_newest_first(
    client, officer_bignona, partnership
):
    older = ExchangeFactory(title_fr="Atelier 2015", start_date=datetime.date(2015, 6, 8))
    newer = ExchangeFactory(title_fr="Visite 2016", start_date=datetime.date(2016, 6, 7))
    written = ExchangeFactory(title_fr="Déjà écrit")
    CrossViewFactory(exchange=written, territory=bignona())
    CrossViewFactory(exchange=newer, territory=savoie())  # the other side's: still to write
    ExchangeFactory(title_fr="Supprimé", deleted_at=datetime.datetime.now(datetime.UTC))
    elsewhere = Partnership.objects.create(slug="ailleurs", name_fr="Ailleurs", since_year=2000)
    ExchangeFactory(title_fr="Autre partenariat", partnership=elsewhere)
    client.force_login(officer_bignona)

    response = client.get("/fr/exchanges/to-write/")

    assert response.status_code == 200
    assert titles(response) == ["Visite 2016", "Atelier 2015"]
    html = response.content.decode()
    assert f"/fr/exchanges/{newer.pk}/cross-views/bignona/" in html
    assert f"/fr/exchanges/{older.pk}/cross-views/bignona/" in html
    assert "Regards croisés que Bignona doit rédiger" in html


def test_a_savoie_officer_reads_savoie_with_its_article_in_french_only(
    client, officer_savoie, partnership
):
    ExchangeFactory(title_fr="Visite 2016")
    client.force_login(officer_savoie)

    french = client.get("/fr/exchanges/to-write/").content.decode()
    english = client.get("/en/exchanges/to-write/").content.decode()

    assert "Regards croisés que la Savoie doit rédiger" in french
    assert "Rédiger le regard croisé de la Savoie" in french
    assert "Perspectives Savoie has to write" in english
    assert "Write the perspective of Savoie" in english


def test_the_navigation_counts_what_is_left_to_write(client, officer_savoie, partnership):
    for _ in range(3):
        ExchangeFactory()
    CrossViewFactory(exchange=ExchangeFactory(), territory=savoie())
    client.force_login(officer_savoie)

    html = client.get("/fr/").content.decode().replace("\xa0", " ")  # French typography

    assert 'href="/fr/exchanges/to-write/">À rédiger <span class="count">' in html
    assert "regards croisés à rédiger :</span> 3</span>" in html


def test_the_count_stops_at_99(client, officer_savoie, partnership):
    ExchangeFactory.create_batch(101)
    client.force_login(officer_savoie)

    html = client.get("/fr/").content.decode().replace("\xa0", " ")

    assert "regards croisés à rédiger :</span> 99+</span>" in html


def test_an_elected_official_has_no_list_to_write(client, elected_official, partnership):
    client.force_login(elected_official)

    response = client.get("/fr/exchanges/to-write/")

    assert response.status_code == 403
    assert "/fr/exchanges/to-write/" not in client.get("/fr/").content.decode()


def test_an_administrator_picks_the_territory(client, administrator, partnership):
    ExchangeFactory(title_fr="Visite")
    CrossViewFactory(exchange=ExchangeFactory(title_fr="Écrit par Savoie"), territory=savoie())
    client.force_login(administrator)

    savoie_side = client.get("/fr/exchanges/to-write/?territory=savoie")
    bignona_side = client.get("/fr/exchanges/to-write/?territory=bignona")

    assert titles(savoie_side) == ["Visite"]
    assert sorted(titles(bignona_side)) == ["Visite", "Écrit par Savoie"]


# session, user with profile and territory, the partnership, its territories, one page of
# exchanges (with their territories); then the navigation's count: 6 whatever the number.
TO_WRITE_QUERIES = 6


@pytest.mark.parametrize("count", [3, 60])
def test_the_list_costs_the_same_queries_whatever_the_number(
    client, officer_bignona, partnership, django_assert_num_queries, count
):
    for n in range(count):
        ExchangeFactory(start_date=datetime.date(2016, 1, 1) + datetime.timedelta(days=n))
    client.force_login(officer_bignona)

    with django_assert_num_queries(TO_WRITE_QUERIES):
        response = client.get("/fr/exchanges/to-write/")

    assert len(titles(response)) == min(count, 20)


def test_the_count_adds_one_query_to_a_page(client, officer_savoie, elected_official, partnership):
    """The same home page, for an elected official (no count) and an officer (its count)."""
    ExchangeFactory.create_batch(5)
    client.force_login(elected_official)
    client.get("/fr/")  # what is kept in cache is kept: the next two pages compare alike
    with CaptureQueriesContext(connection) as official:
        client.get("/fr/")
    client.force_login(officer_savoie)
    with CaptureQueriesContext(connection) as officer:
        client.get("/fr/")

    assert len(officer) == len(official) + 1


def count_in_navigation(client) -> str:
    html = client.get("/fr/questionings/").content.decode().replace("\xa0", " ")
    marker = "regards croisés à rédiger :</span> "
    return html.partition(marker)[2].partition("</span>")[0] if marker in html else "0"


def test_the_count_follows_what_both_sides_log_and_write(
    client, officer_savoie, officer_bignona, administrator, partnership
):
    """Kept between pages, the count still moves at once with every exchange logged, deleted
    or brought back, and with every cross view written."""
    ExchangeFactory()
    client.force_login(officer_savoie)
    assert count_in_navigation(client) == "1"

    client.force_login(officer_bignona)
    assert client.post("/fr/exchanges/new/", exchange_form_data()).status_code == 302
    logged = ExchangeFactory._meta.model.objects.latest("pk")
    assert count_in_navigation(client) == "2"
    client.force_login(officer_savoie)
    assert count_in_navigation(client) == "2"

    written = {"text_fr": "Ce que la Savoie retient.", "text_en": "", "version": "0"}
    client.post(f"/fr/exchanges/{logged.pk}/cross-views/savoie/", written)
    assert count_in_navigation(client) == "1"

    client.force_login(officer_bignona)
    assert client.post(f"/fr/exchanges/{logged.pk}/delete/").status_code == 302
    assert count_in_navigation(client) == "1"

    client.force_login(administrator)
    restored = client.post(
        "/fr/admin/exchanges/exchange/?deleted=yes",
        {"action": "restore_exchanges", "_selected_action": [logged.pk]},
    )
    assert restored.status_code == 302
    client.force_login(officer_bignona)
    assert count_in_navigation(client) == "2"


def test_the_count_is_kept_between_pages(client, officer_savoie, partnership):
    ExchangeFactory.create_batch(3)
    client.force_login(officer_savoie)
    with CaptureQueriesContext(connection) as first:
        client.get("/fr/questionings/")
    with CaptureQueriesContext(connection) as next_page:
        client.get("/fr/questionings/")

    assert len(next_page) == len(first) - 1


def test_a_territory_joining_the_partnership_counts_its_exchanges(
    client, administrator, partnership
):
    ExchangeFactory.create_batch(2)
    ziguinchor = TerritoryFactory(slug="ziguinchor", name_fr="Ziguinchor", country_fr="Sénégal")
    officer = user_with_role("officer-ziguinchor", Profile.Role.OFFICER, ziguinchor)
    client.force_login(officer)
    assert count_in_navigation(client) == "0"

    client.force_login(administrator)
    url = f"/fr/admin/partners/partnership/{partnership.pk}/change/"
    data = admin_form(client, url, "partnership_form")
    data["territories"] = [savoie().pk, bignona().pk, ziguinchor.pk]
    assert client.post(url, data).status_code == 302

    client.force_login(officer)
    assert count_in_navigation(client) == "2"


@pytest.mark.django_db(transaction=True)
def test_a_count_read_while_a_cross_view_commits_is_not_kept_past_it(
    officer_savoie, partnership, monkeypatch
):
    """An officer's page reads the territory's generation and counts 1; meanwhile the other
    officer's cross view commits; the page keeps its 1. The next page must count 0."""
    exchange = ExchangeFactory()
    territory = officer_savoie.profile.territory
    to_write = selectors.exchanges_to_write

    def counted_then_the_cross_view_commits(territory):
        before = list(to_write(territory).values_list("pk", flat=True))
        services.cross_view_save(
            exchange=exchange,
            territory=territory,
            author=officer_savoie,
            text_fr="Notre regard.",
            text_en="",
            expected_version=0,
        )
        return Exchange.objects.filter(pk__in=before)

    monkeypatch.setattr(selectors, "exchanges_to_write", counted_then_the_cross_view_commits)
    assert selectors.to_write_count(territory) == 1
    monkeypatch.setattr(selectors, "exchanges_to_write", to_write)

    assert selectors.to_write_count(territory) == 0
