"""Who may read and change exchanges: refusals are 403 pages that say why, never a redirect."""

import pytest

from exchanges.models import CrossView, Exchange
from partners.models import Profile
from tests.factories import (
    CrossViewFactory,
    ExchangeFactory,
    bignona,
    exchange_form_data,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(partnership):
    """A visit of the Bignona delegation hosted by Savoie, with Savoie's cross view."""
    exchange = ExchangeFactory(title_fr="Visite à Chambéry")
    CrossViewFactory(exchange=exchange, text_fr="Ce que la Savoie en retient.")
    return exchange


READ_PAGES = ["/fr/exchanges/", "/fr/exchanges/export.csv", "/fr/exchanges/{pk}/"]


@pytest.mark.parametrize("url", [*READ_PAGES, "/fr/exchanges/new/", "/fr/exchanges/{pk}/edit/"])
def test_an_anonymous_visitor_is_sent_to_login(client, visit, url):
    response = client.get(url.format(pk=visit.pk))

    assert response.status_code == 302
    assert response["Location"].startswith("/fr/accounts/login/?next=")


@pytest.mark.parametrize("url", READ_PAGES)
@pytest.mark.parametrize("who", ["officer_savoie", "officer_bignona", "elected_official"])
def test_every_member_reads_the_exchanges(client, visit, request, who, url):
    client.force_login(request.getfixturevalue(who))

    assert client.get(url.format(pk=visit.pk)).status_code == 200


def test_an_account_without_a_role_is_told_why_it_cannot_read(client, visit, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", password="x" * 12))

    response = client.get("/fr/exchanges/")

    assert response.status_code == 403
    assert "n’a pas encore de rôle sur la plateforme" in response.content.decode()


def test_the_exchanges_link_shows_only_to_people_logged_in(client, officer_savoie, partnership):
    assert 'href="/fr/exchanges/"' not in client.get("/fr/").content.decode()
    client.force_login(officer_savoie)
    assert 'href="/fr/exchanges/"' in client.get("/fr/").content.decode()


def test_an_elected_official_reads_but_cannot_change(client, elected_official, visit):
    client.force_login(elected_official)

    detail = client.get(f"/fr/exchanges/{visit.pk}/").content.decode()
    new_page = client.get("/fr/exchanges/new/")
    create = client.post("/fr/exchanges/new/", exchange_form_data())
    edit = client.post(
        f"/fr/exchanges/{visit.pk}/edit/", exchange_form_data(visit, title_fr="Changé")
    )
    cross_view = client.post(
        f"/fr/exchanges/{visit.pk}/cross-views/savoie/", {"text_fr": "Non", "version": "1"}
    )

    assert "Visite à Chambéry" in detail
    assert f"/{visit.pk}/edit/" not in detail
    assert f"/{visit.pk}/cross-views/" not in detail
    assert new_page.status_code == create.status_code == edit.status_code == 403
    assert cross_view.status_code == 403
    assert "Seuls les chargés de mission saisissent les échanges" in new_page.content.decode()
    visit.refresh_from_db()
    assert visit.title_fr == "Visite à Chambéry"
    assert Exchange.objects.count() == 1
    assert CrossView.objects.get().text_fr == "Ce que la Savoie en retient."


def test_a_bignona_officer_adds_bignonas_cross_view(client, officer_bignona, visit):
    client.force_login(officer_bignona)

    page = client.get(f"/fr/exchanges/{visit.pk}/cross-views/bignona/")
    response = client.post(
        f"/fr/exchanges/{visit.pk}/cross-views/bignona/",
        {"text_fr": "Bignona retient la place des familles.", "text_en": "", "version": "0"},
    )

    assert page.status_code == 200
    assert response.status_code == 302
    side = CrossView.objects.get(territory=bignona())
    assert side.text_fr == "Bignona retient la place des familles."
    assert side.updated_by == officer_bignona
    assert side.version == 1
    detail = client.get(f"/fr/exchanges/{visit.pk}/").content.decode()
    assert "Bignona retient la place des familles." in detail
    assert "Ce que la Savoie en retient." in detail


def test_a_bignona_officer_cannot_change_the_savoie_text(client, officer_bignona, visit):
    client.force_login(officer_bignona)

    page = client.get(f"/fr/exchanges/{visit.pk}/cross-views/savoie/")
    response = client.post(
        f"/fr/exchanges/{visit.pk}/cross-views/savoie/",
        {"text_fr": "Réécrit par Bignona", "version": "1"},
    )

    assert page.status_code == response.status_code == 403
    assert "Vous rédigez le regard croisé côté Bignona" in response.content.decode()
    assert CrossView.objects.get().text_fr == "Ce que la Savoie en retient."


def test_the_visiting_delegation_changes_the_visit_but_writes_only_its_own_side(
    client, officer_bignona, visit
):
    client.force_login(officer_bignona)

    page = client.get(f"/fr/exchanges/{visit.pk}/edit/")
    response = client.post(
        f"/fr/exchanges/{visit.pk}/edit/", exchange_form_data(visit, title_fr="Complété à Bignona")
    )
    detail = client.get(f"/fr/exchanges/{visit.pk}/").content.decode()

    assert page.status_code == 200
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.title_fr == "Complété à Bignona"
    assert visit.version == 2
    assert visit.updated_by == officer_bignona
    assert f"/fr/exchanges/{visit.pk}/edit/" in detail
    assert f"/fr/exchanges/{visit.pk}/cross-views/bignona/" in detail
    assert f"/fr/exchanges/{visit.pk}/cross-views/savoie/" not in detail


def test_an_officer_cannot_change_a_local_exchange_of_the_other_territory(
    client, officer_bignona, partnership
):
    local = ExchangeFactory(title_fr="Diagnostic en Savoie", visiting_territory=None)
    client.force_login(officer_bignona)

    page = client.get(f"/fr/exchanges/{local.pk}/edit/")
    response = client.post(
        f"/fr/exchanges/{local.pk}/edit/", exchange_form_data(local, title_fr="Réécrit")
    )

    assert page.status_code == response.status_code == 403
    assert "Seuls les chargés de mission de la Savoie" in response.content.decode()
    local.refresh_from_db()
    assert local.title_fr == "Diagnostic en Savoie"
    assert local.version == 1


def test_an_officer_cannot_take_their_territory_out_of_an_exchange(client, officer_bignona, visit):
    client.force_login(officer_bignona)

    response = client.post(
        f"/fr/exchanges/{visit.pk}/edit/",
        exchange_form_data(visit, visiting_territory=""),  # now a local exchange of Savoie
    )

    assert response.status_code == 200
    assert "Vous saisissez les échanges auxquels Bignona prend part" in str(
        response.context["form"].errors["host_territory"]
    )
    visit.refresh_from_db()
    assert visit.visiting_territory == bignona()
    assert visit.version == 1


def test_the_delegation_logs_its_mission_to_the_other_territory(
    client, officer_bignona, partnership
):
    client.force_login(officer_bignona)

    form = client.get("/fr/exchanges/new/").content.decode()
    response = client.post("/fr/exchanges/new/", exchange_form_data())  # Bignona to Savoie

    assert response.status_code == 302
    host_choices = form.split('name="host_territory"')[1].split("</select>")[0]
    assert "Savoie" in host_choices
    assert "Bignona" in host_choices
    exchange = Exchange.objects.get()
    assert (exchange.host_territory.slug, exchange.visiting_territory.slug) == (
        "savoie",
        "bignona",
    )
    assert exchange.created_by == officer_bignona


def test_an_officer_logs_no_exchange_their_territory_takes_no_part_in(
    client, officer_bignona, partnership
):
    client.force_login(officer_bignona)

    response = client.post("/fr/exchanges/new/", exchange_form_data(visiting_territory=""))

    assert response.status_code == 200
    errors = response.context["form"].errors["host_territory"]
    assert "Vous saisissez les échanges auxquels Bignona prend part" in str(errors)
    assert Exchange.objects.count() == 0


def test_an_administrator_changes_any_exchange_and_any_side(client, administrator, visit):
    client.force_login(administrator)

    edit = client.post(
        f"/fr/exchanges/{visit.pk}/edit/", exchange_form_data(visit, title_fr="Corrigé")
    )
    side = client.post(
        f"/fr/exchanges/{visit.pk}/cross-views/bignona/", {"text_fr": "Ajouté", "version": "0"}
    )

    assert edit.status_code == side.status_code == 302
    visit.refresh_from_db()
    assert visit.title_fr == "Corrigé"


def test_a_territory_outside_the_partnership_has_no_side_to_write(client, officer_savoie, visit):
    user_with_role("officer-other", Profile.Role.OFFICER, None)
    client.force_login(officer_savoie)

    assert client.get(f"/fr/exchanges/{visit.pk}/cross-views/nowhere/").status_code == 404
    assert client.get("/fr/exchanges/999999/").status_code == 404
