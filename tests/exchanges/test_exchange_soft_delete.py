"""Deleting an exchange is soft: it leaves the lists and figures, and an admin can undo it."""

import pytest

from exchanges.models import Exchange
from exchanges.selectors import key_figures
from tests.factories import EstablishmentFactory, ExchangeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(partnership):
    return ExchangeFactory(
        partnership=partnership,
        title_fr="Visite à supprimer",
        professionals_met_count=12,
        establishments=[EstablishmentFactory()],
    )


def test_a_savoie_officer_deletes_a_visit_after_confirming(client, officer_savoie, visit):
    client.force_login(officer_savoie)

    confirm = client.get(f"/fr/exchanges/{visit.pk}/delete/")
    assert "Visite à supprimer" in confirm.content.decode()
    assert Exchange.objects.active().count() == 1  # asking is not deleting

    response = client.post(f"/fr/exchanges/{visit.pk}/delete/")

    assert response.status_code == 302
    assert response["Location"] == "/fr/exchanges/"
    visit.refresh_from_db()
    assert visit.deleted_at is not None
    assert visit.deleted_by == officer_savoie
    told = client.get("/fr/exchanges/").content.decode()
    assert "L’échange « Visite à supprimer » est supprimé" in told
    assert "Visite à supprimer" not in client.get("/fr/exchanges/").content.decode()
    assert client.get(f"/fr/exchanges/{visit.pk}/").status_code == 404
    assert client.get(f"/fr/exchanges/{visit.pk}/edit/").status_code == 404
    assert key_figures(visit.partnership, 2016).professionals_met == 0
    assert key_figures(visit.partnership, 2016).establishments_visited == 0
    deleted = Exchange.history.filter(id=visit.pk).latest()  # the history keeps it
    assert deleted.deleted_at == visit.deleted_at
    assert deleted.history_user == officer_savoie


def test_a_bignona_officer_cannot_delete_a_local_exchange_of_savoie(
    client, officer_bignona, partnership
):
    local = ExchangeFactory(partnership=partnership, visiting_territory=None)
    client.force_login(officer_bignona)

    response = client.post(f"/fr/exchanges/{local.pk}/delete/")

    assert response.status_code == 403
    local.refresh_from_db()
    assert local.deleted_at is None


def test_the_visiting_delegation_may_delete_the_visit_it_took_part_in(
    client, officer_bignona, visit
):
    client.force_login(officer_bignona)

    response = client.post(f"/fr/exchanges/{visit.pk}/delete/")

    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.deleted_at is not None
    assert visit.deleted_by == officer_bignona


def test_an_admin_brings_a_deleted_visit_back_with_its_figures(
    client, officer_savoie, administrator, visit
):
    client.force_login(officer_savoie)
    client.post(f"/fr/exchanges/{visit.pk}/delete/")
    client.force_login(administrator)

    deleted_list = client.get("/fr/admin/exchanges/exchange/?deleted=yes").content.decode()
    assert "Visite à supprimer" in deleted_list
    response = client.post(
        "/fr/admin/exchanges/exchange/",
        {"action": "restore_exchanges", "_selected_action": [visit.pk]},
    )

    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.deleted_at is None
    assert key_figures(visit.partnership, 2016).professionals_met == 12
    assert client.get(f"/fr/exchanges/{visit.pk}/").status_code == 200
