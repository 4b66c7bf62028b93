"""Who changed which field, when: written by the services, read (only) in the admin."""

import pytest
from django.contrib.admin import site
from django.utils import translation

from exchanges.models import Exchange, ExchangeChange
from tests.factories import AttachmentFactory, CrossViewFactory, ExchangeFactory, exchange_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def changed_visit(client, officer_savoie, officer_bignona, partnership):
    visit = ExchangeFactory(title_fr="Visite", place="Chambéry")
    client.force_login(officer_savoie)
    client.post(f"/fr/exchanges/{visit.pk}/edit/", exchange_form_data(visit, place="Albertville"))
    client.force_login(officer_bignona)
    client.post(
        f"/fr/exchanges/{visit.pk}/cross-views/bignona/", {"text_fr": "Retenu.", "version": "0"}
    )
    client.logout()
    return visit


def test_each_save_records_who_changed_which_field(changed_visit, officer_savoie, officer_bignona):
    changes = [(c.user, c.field, c.old_value, c.new_value) for c in changed_visit.changes.all()]

    assert changes == [
        (officer_bignona, "cross_view:bignona:text_fr", "", "Retenu."),
        (officer_savoie, "place", "Chambéry", "Albertville"),
    ]
    with translation.override("en"):
        labels = [c.field_label for c in changed_visit.changes.all()]
    assert labels == ["cross view of bignona [fr]", "place"]


ADMIN_PAGES = [
    "/fr/admin/exchanges/exchange/",
    "/fr/admin/exchanges/exchange/{pk}/change/",
    "/fr/admin/exchanges/establishment/",
    "/fr/admin/exchanges/crossview/",
    "/fr/admin/exchanges/exchangechange/",
    "/fr/admin/exchanges/exchangechange/?q=place",
]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_the_exchanges_admin_pages_load_for_an_admin(
    client, administrator, changed_visit, media_root, url
):
    AttachmentFactory(exchange=changed_visit)
    CrossViewFactory(exchange=changed_visit)
    client.force_login(administrator)

    assert client.get(url.format(pk=changed_visit.pk)).status_code == 200


def test_an_admin_reads_the_history_but_cannot_rewrite_it(client, administrator, changed_visit):
    client.force_login(administrator)
    change = ExchangeChange.objects.filter(field="place").get()

    page = client.get(f"/fr/admin/exchanges/exchange/{changed_visit.pk}/change/").content.decode()
    add = client.get("/fr/admin/exchanges/exchangechange/add/")
    edit = client.post(
        f"/fr/admin/exchanges/exchangechange/{change.pk}/change/", {"new_value": "Ailleurs"}
    )

    assert "Albertville" in page
    assert add.status_code == 403 and edit.status_code == 403
    change.refresh_from_db()
    assert change.new_value == "Albertville"


def test_an_admins_change_makes_a_new_version_so_open_forms_conflict(
    client, rf, administrator, officer_savoie, changed_visit
):
    opened = exchange_form_data(changed_visit)  # an officer opens the form…
    request = rf.post("/")
    request.user = administrator
    changed_visit.title_fr = "Corrigé par l'administration"
    site._registry[Exchange].save_model(request, changed_visit, form=None, change=True)
    client.force_login(officer_savoie)

    response = client.post(f"/fr/exchanges/{changed_visit.pk}/edit/", opened)  # …and saves

    assert response.status_code == 200 and response.context["conflict"]
    changed_visit.refresh_from_db()
    assert changed_visit.title_fr == "Corrigé par l'administration"
    assert changed_visit.updated_by == administrator
