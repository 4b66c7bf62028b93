"""When an exchange is logged or changed, the other territory's officers get an email in their
own language, written and sent by the task worker, never in the request."""

import pytest
from django.core import mail

from exchanges.models import Exchange
from partners.models import Profile
from tests.factories import (
    CrossViewFactory,
    ExchangeFactory,
    bignona,
    exchange_form_data,
    savoie,
    user_with_role,
)
from tests.reporting_factories import DUMMY_TASKS, IMMEDIATE_TASKS

try:  # Django 6.0+
    from django.tasks import task_backends
except ImportError:  # Django 5.2
    from django_tasks import task_backends

pytestmark = pytest.mark.django_db


@pytest.fixture
def bignona_officers(officer_bignona):
    """Bignona's officer reads French; a colleague reads English; one has no address."""
    officer_bignona.email = "lamine@bignona.example"
    officer_bignona.save()
    english = user_with_role("awa-en", Profile.Role.OFFICER, bignona(), email="awa@bignona.example")
    Profile.objects.filter(user=english).update(language="en")
    user_with_role("no-address", Profile.Role.OFFICER, bignona())
    return officer_bignona, english


def test_logging_an_exchange_emails_the_other_side_in_its_own_language(
    client,
    settings,
    officer_savoie,
    bignona_officers,
    partnership,
    django_capture_on_commit_callbacks,
):
    settings.TASKS = IMMEDIATE_TASKS  # the worker runs the task as soon as it is enqueued
    settings.SITE_URL = "https://regard-croise.example"
    user_with_role("colleague-savoie", Profile.Role.OFFICER, savoie(), email="s@savoie.example")
    client.force_login(officer_savoie)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/fr/exchanges/new/", exchange_form_data())

    assert response.status_code == 302
    exchange = Exchange.objects.get()
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"lamine@bignona.example", "awa@bignona.example"}  # not Savoie's
    french, english = by_address["lamine@bignona.example"], by_address["awa@bignona.example"]
    assert french.subject == "Regard croisé : un nouvel échange, « Visite des EHPAD de Chambéry »"
    assert "a saisi l’échange « Visite des EHPAD de Chambéry »" in french.body
    assert "Le regard croisé de Bignona reste à rédiger" in french.body
    assert (
        f"https://regard-croise.example/fr/exchanges/{exchange.pk}/cross-views/bignona/"
        in french.body
    )
    assert english.subject.startswith("Regard croisé: a new exchange")
    assert "The perspective of Bignona is still to write" in english.body
    assert f"https://regard-croise.example/en/exchanges/{exchange.pk}/" in english.body


def test_changing_an_exchange_tells_the_other_side_what_is_written(
    client,
    settings,
    officer_bignona,
    bignona_officers,
    officer_savoie,
    partnership,
    django_capture_on_commit_callbacks,
):
    settings.TASKS = IMMEDIATE_TASKS
    officer_savoie.email = "marie@savoie.example"
    officer_savoie.save()
    visit = ExchangeFactory(title_fr="Visite à Chambéry")
    CrossViewFactory(exchange=visit, territory=savoie())
    client.force_login(officer_bignona)  # the delegation completes the visit it took part in

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/fr/exchanges/{visit.pk}/edit/", exchange_form_data(visit, place="Aix"))

    assert [message.to for message in mail.outbox] == [["marie@savoie.example"]]
    message = mail.outbox[0]
    assert message.subject == "Regard croisé : l’échange « Visite à Chambéry » a été modifié"
    assert "(Bignona) a modifié l’échange" in message.body
    assert "Le regard croisé de la Savoie est rédigé" in message.body


def test_no_email_leaves_during_the_request(
    client,
    settings,
    officer_savoie,
    bignona_officers,
    partnership,
    django_capture_on_commit_callbacks,
):
    settings.TASKS = DUMMY_TASKS  # enqueued, never run: the worker has not picked it up yet
    client.force_login(officer_savoie)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/fr/exchanges/new/", exchange_form_data())

    assert response.status_code == 302
    queued = [result.task.name for result in task_backends["default"].results]
    assert queued == ["notify_other_side"]  # for the worker, once the exchange is committed
    assert mail.outbox == []
