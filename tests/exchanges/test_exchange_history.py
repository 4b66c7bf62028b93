"""One write path, one history: an exchange changed on the officers' pages or in the admin goes
through the same services (version compared, one history row naming the author); the admin
never overwrites an edit it did not see, and deleting there is the soft delete."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from exchanges import services
from exchanges.models import CrossView, Exchange
from exchanges.selectors import exchange_history
from tests.admin_forms import admin_form
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


def changes_of(exchange) -> list[tuple]:
    """(who, what, field, before, after) of each change, newest first, in English."""
    with translation.override("en"):
        return [
            (entry.user, entry.object_label, change.field, change.old, change.new)
            for entry in exchange_history(exchange)
            if entry.user is not None  # not the factory's rows
            for change in entry.changes
        ]


TEXT_FR = "what this territory takes away [fr]"


def test_each_save_records_who_changed_which_field(changed_visit, officer_savoie, officer_bignona):
    assert changes_of(changed_visit) == [
        (
            officer_bignona,
            "perspective of Bignona",
            "what this territory takes away [fr]",
            "",
            "Retenu.",
        ),
        (officer_savoie, "exchange", "place", "Chambéry", "Albertville"),
    ]


ADMIN_PAGES = [
    "/fr/admin/exchanges/exchange/",
    "/fr/admin/exchanges/exchange/{pk}/change/",
    "/fr/admin/exchanges/exchange/{pk}/history/",
    "/fr/admin/exchanges/establishment/",
    "/fr/admin/exchanges/crossview/",
]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_the_exchanges_admin_pages_load_for_an_admin(
    client, administrator, changed_visit, media_root, url
):
    AttachmentFactory(exchange=changed_visit)
    CrossViewFactory(exchange=changed_visit)
    client.force_login(administrator)

    assert client.get(url.format(pk=changed_visit.pk)).status_code == 200


def test_the_admin_change_page_shows_the_history_and_nobody_rewrites_it(
    client, administrator, changed_visit
):
    client.force_login(administrator)
    row = Exchange.history.filter(id=changed_visit.pk).latest()

    page = client.get(f"/fr/admin/exchanges/exchange/{changed_visit.pk}/change/").content.decode()
    revert = client.post(
        f"/fr/admin/exchanges/exchange/{changed_visit.pk}/history/{row.history_id}/",
        {"title_fr": "Réécrit"},
    )

    assert "Albertville" in page
    assert "Chambéry" in page
    assert "Retenu." in page
    assert revert.status_code == 403
    changed_visit.refresh_from_db()
    assert changed_visit.title_fr == "Visite"


def test_the_history_costs_the_same_queries_however_long_it_is(
    changed_visit, officer_savoie, django_assert_num_queries
):
    with CaptureQueriesContext(connection) as short:
        exchange_history(changed_visit)
    for place in ("Annecy", "Aix", "Moûtiers", "Bourg"):
        current = Exchange.objects.get(pk=changed_visit.pk)
        values = {**services.exchange_values(current), "place": place}
        services.exchange_update(
            exchange=current, author=officer_savoie, expected_version=current.version, values=values
        )

    with django_assert_num_queries(len(short.captured_queries)):
        history = exchange_history(changed_visit)
    assert len([entry for entry in history if entry.action == "~"]) == 5


def _admin_url(exchange) -> str:
    return f"/fr/admin/exchanges/exchange/{exchange.pk}/change/"


def test_an_administrators_stale_admin_form_does_not_overwrite_an_officers_edit(
    client, administrator, officer_savoie, changed_visit
):
    client.force_login(administrator)
    opened = admin_form(client, _admin_url(changed_visit), "exchange_form")  # version 2
    changed_visit.refresh_from_db()
    client.force_login(officer_savoie)
    client.post(
        f"/fr/exchanges/{changed_visit.pk}/edit/",
        exchange_form_data(changed_visit, place="Saint-Jean-de-Maurienne"),
    )  # version 3
    client.force_login(administrator)
    opened["title_fr"] = "Corrigé par l'administration"

    response = client.post(_admin_url(changed_visit), opened)

    assert response.status_code == 200  # the form again, not saved
    page = response.content.decode()
    assert "a enregistré cet échange pendant que vous le modifiiez" in page
    assert "Corrigé par l&#x27;administration" in page  # what was typed is kept
    changed_visit.refresh_from_db()
    assert changed_visit.place == "Saint-Jean-de-Maurienne"
    assert changed_visit.title_fr == "Visite"
    assert changed_visit.version == 3


def test_saving_the_reopened_admin_form_again_replaces_the_officers_version_knowingly(
    client, administrator, officer_savoie, changed_visit
):
    client.force_login(administrator)
    opened = admin_form(client, _admin_url(changed_visit), "exchange_form")
    Exchange.objects.filter(pk=changed_visit.pk).update(version=3)  # an officer saved meanwhile
    opened["title_fr"] = "Corrigé"
    refused = client.post(_admin_url(changed_visit), opened)
    assert refused.status_code == 200
    opened["expected_version"] = "3"  # what the form shown again carries

    response = client.post(_admin_url(changed_visit), opened)

    assert response.status_code == 302
    changed_visit.refresh_from_db()
    assert (changed_visit.title_fr, changed_visit.version) == ("Corrigé", 4)
    assert changed_visit.updated_by == administrator
    assert changes_of(changed_visit)[0][:3] == (administrator, "exchange", "title [fr]")


def test_an_officers_stale_form_does_not_overwrite_an_administrators_admin_edit(
    client, administrator, officer_savoie, changed_visit
):
    changed_visit.refresh_from_db()
    opened = exchange_form_data(changed_visit)  # the officer opens the form at version 2…
    client.force_login(administrator)
    data = admin_form(client, _admin_url(changed_visit), "exchange_form")
    data["title_fr"] = "Corrigé par l'administration"
    assert client.post(_admin_url(changed_visit), data).status_code == 302
    client.force_login(officer_savoie)

    response = client.post(f"/fr/exchanges/{changed_visit.pk}/edit/", opened)  # …and saves

    assert response.status_code == 200
    assert response.context["conflict"]
    changed_visit.refresh_from_db()
    assert changed_visit.title_fr == "Corrigé par l'administration"
    assert changed_visit.updated_by == administrator
    assert changed_visit.version == 3


def test_a_cross_view_edited_in_the_admin_is_a_new_version_and_a_stale_one_is_refused(
    client, administrator, officer_bignona, changed_visit
):
    view = CrossView.objects.get(exchange=changed_visit)
    url = f"/fr/admin/exchanges/crossview/{view.pk}/change/"
    client.force_login(administrator)
    opened = admin_form(client, url, "crossview_form")
    client.force_login(officer_bignona)
    client.post(
        f"/fr/exchanges/{changed_visit.pk}/cross-views/bignona/",
        {"text_fr": "Retenu, et plus.", "version": str(view.version)},
    )
    client.force_login(administrator)
    opened["text_fr"] = "Réécrit par l'administration"

    stale = client.post(url, opened)

    assert stale.status_code == 200
    assert "a enregistré ce regard croisé pendant que vous le rédigiez" in stale.content.decode()
    view.refresh_from_db()
    assert (view.text_fr, view.version) == ("Retenu, et plus.", 2)
    fresh = admin_form(client, url, "crossview_form")
    fresh["text_fr"] = "Réécrit par l'administration"
    assert client.post(url, fresh).status_code == 302
    view.refresh_from_db()
    assert (view.text_fr, view.version, view.updated_by) == (
        "Réécrit par l'administration",
        3,
        administrator,
    )
    assert CrossView.history.filter(id=view.pk).latest().history_user == administrator


def test_a_cross_view_edited_inline_on_the_exchange_goes_through_its_service(
    client, administrator, changed_visit
):
    client.force_login(administrator)
    data = admin_form(client, _admin_url(changed_visit), "exchange_form")
    data["cross_views-0-text_fr"] = "Corrigé en ligne."

    assert client.post(_admin_url(changed_visit), data).status_code == 302
    view = CrossView.objects.get(exchange=changed_visit)
    assert (view.text_fr, view.version, view.updated_by) == ("Corrigé en ligne.", 2, administrator)
    changed_visit.refresh_from_db()
    assert changed_visit.version == 2  # nothing of the exchange itself changed


def test_deleting_an_exchange_in_the_admin_is_the_soft_delete_and_keeps_its_history(
    client, administrator, changed_visit, media_root
):
    photo = AttachmentFactory(exchange=changed_visit)
    client.force_login(administrator)

    response = client.post(
        f"/fr/admin/exchanges/exchange/{changed_visit.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 302
    changed_visit.refresh_from_db()
    assert changed_visit.deleted_at is not None
    assert changed_visit.deleted_by == administrator
    assert changed_visit.attachments.get() == photo
    assert photo.file.storage.exists(photo.file.name)
    assert Exchange.history.filter(id=changed_visit.pk).count() >= 3
    assert changes_of(changed_visit)[0][:3] == (administrator, "exchange", "deleted at")


def test_the_delete_selected_action_soft_deletes_too(client, administrator, changed_visit):
    client.force_login(administrator)

    client.post(
        "/fr/admin/exchanges/exchange/",
        {"action": "delete_selected", "_selected_action": [changed_visit.pk], "post": "yes"},
    )

    changed_visit.refresh_from_db()
    assert changed_visit.deleted_at is not None


def test_an_attachment_removed_in_the_admin_goes_through_its_service(
    client, administrator, changed_visit, media_root, django_capture_on_commit_callbacks
):
    photo = AttachmentFactory(exchange=changed_visit)
    name = photo.file.name
    client.force_login(administrator)
    data = admin_form(client, _admin_url(changed_visit), "exchange_form")
    data["attachments-0-DELETE"] = "on"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_admin_url(changed_visit), data)

    assert response.status_code == 302
    assert not changed_visit.attachments.exists()
    assert not photo.file.storage.exists(name)  # the file is gone from storage too
    removed = [e for e in exchange_history(changed_visit) if e.action == "-"]
    assert removed
    assert removed[0].user == administrator
