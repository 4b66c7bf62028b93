"""Two people saving the same version: the second gets a conflict, never a lost update."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from exchanges.models import CrossView
from exchanges.services import EditConflict, cross_view_save, exchange_update, exchange_values
from partners.models import Profile
from tests.factories import (
    CrossViewFactory,
    ExchangeFactory,
    exchange_form_data,
    savoie,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_officer_savoie(db):
    user = user_with_role("officer-savoie-2", Profile.Role.OFFICER, savoie())
    user.first_name, user.last_name = "Claire", "Martin"
    user.save()
    return user


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_two_concurrent_edits_produce_a_conflict_not_a_lost_update(
    officer_savoie, second_officer_savoie, partnership
):
    exchange = ExchangeFactory(title_fr="Visite", professionals_met_count=4)
    first, second = logged_in(second_officer_savoie), logged_in(officer_savoie)
    opened = exchange_form_data(exchange)  # both open the form on version 1

    saved = first.post(
        f"/fr/exchanges/{exchange.pk}/edit/", {**opened, "title_fr": "Visite de Claire"}
    )
    refused = second.post(
        f"/fr/exchanges/{exchange.pk}/edit/",
        {**opened, "title_fr": "Ma visite", "summary_fr": "Mon long résumé tapé au téléphone."},
    )

    assert saved.status_code == 302
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Claire Martin a enregistré cet échange pendant que vous le modifiiez" in html
    assert "Visite de Claire" in html  # their saved version, shown beside…
    assert 'value="Ma visite"' in html  # …the input kept in the form
    assert "Mon long résumé tapé au téléphone." in html
    assert 'name="version" value="2"' in html  # saving again is a deliberate overwrite
    assert "Modifier « Visite de Claire »" in html  # the heading names the saved exchange
    exchange.refresh_from_db()
    assert exchange.title_fr == "Visite de Claire"
    assert exchange.version == 2
    assert exchange.summary_fr != "Mon long résumé tapé au téléphone."


def test_after_comparing_the_second_person_can_save_over_the_first(
    officer_savoie, second_officer_savoie, partnership
):
    exchange = ExchangeFactory(title_fr="Visite")
    opened = exchange_form_data(exchange)
    logged_in(second_officer_savoie).post(
        f"/fr/exchanges/{exchange.pk}/edit/", {**opened, "title_fr": "Visite de Claire"}
    )
    second = logged_in(officer_savoie)
    refused = second.post(f"/fr/exchanges/{exchange.pk}/edit/", {**opened, "title_fr": "Mienne"})

    again = second.post(
        f"/fr/exchanges/{exchange.pk}/edit/",
        {**opened, "title_fr": "Mienne", "version": refused.context["form"]["version"].value()},
    )

    assert again.status_code == 302
    exchange.refresh_from_db()
    assert exchange.title_fr == "Mienne"
    assert exchange.version == 3


def test_a_conflict_lists_the_fields_that_differ_side_by_side(
    officer_savoie, second_officer_savoie, partnership
):
    exchange = ExchangeFactory(professionals_met_count=4, place="Chambéry")
    opened = exchange_form_data(exchange)
    logged_in(second_officer_savoie).post(
        f"/fr/exchanges/{exchange.pk}/edit/", {**opened, "professionals_met_count": "9"}
    )

    refused = logged_in(officer_savoie).post(
        f"/fr/exchanges/{exchange.pk}/edit/", {**opened, "place": "Albertville"}
    )

    rows = {label: (theirs, yours) for label, theirs, yours in refused.context["conflict"].rows}
    assert rows == {
        "Professionnels sociaux rencontrés": ("9", "4"),
        "Lieu": ("Chambéry", "Albertville"),
    }


def test_two_officers_writing_the_same_side_of_the_cross_view_conflict(
    officer_savoie, second_officer_savoie, partnership
):
    exchange = ExchangeFactory()
    url = f"/fr/exchanges/{exchange.pk}/cross-views/savoie/"
    first, second = logged_in(second_officer_savoie), logged_in(officer_savoie)

    saved = first.post(url, {"text_fr": "Le texte de Claire.", "version": "0"})
    refused = second.post(url, {"text_fr": "Mon texte, tapé longtemps.", "version": "0"})

    assert saved.status_code == 302
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Claire Martin a enregistré ce regard croisé pendant que vous le rédigiez" in html
    assert "Le texte de Claire." in html
    assert "Mon texte, tapé longtemps." in html
    assert CrossView.objects.get().text_fr == "Le texte de Claire."


def test_a_stale_version_of_an_existing_side_conflicts(officer_savoie, partnership):
    side = CrossViewFactory(text_fr="Première version", version=3)

    with pytest.raises(EditConflict) as conflict:
        cross_view_save(
            exchange=side.exchange,
            territory=side.territory,
            author=officer_savoie,
            text_fr="Écrasée ?",
            text_en="",
            expected_version=2,
        )

    assert conflict.value.current == side
    side.refresh_from_db()
    assert side.text_fr == "Première version"
    assert side.version == 3


def test_a_save_refused_by_validation_does_not_use_up_the_version(officer_savoie, partnership):
    exchange = ExchangeFactory()
    values = {**exchange_values(exchange), "end_date": datetime.date(2016, 1, 1)}

    with pytest.raises(ValidationError):
        exchange_update(exchange=exchange, author=officer_savoie, expected_version=1, values=values)

    exchange.refresh_from_db()
    assert exchange.version == 1
    assert exchange.end_date == exchange.start_date
