"""A submission key belongs to one form: the kind of form and what it is about (issue 19, item
8). The same key sent by another form is refused visibly, never answered "sent" with the first
form's result while the new data is dropped; two sends of one edit at the same moment answer
"already saved", not "conflict"; old keys are pruned."""

import datetime
import io
import threading
import time
import uuid
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from exchanges import services, writes
from exchanges.models import CrossView, Exchange, SubmissionKey
from tests.factories import ExchangeFactory, exchange_form_data

pytestmark = pytest.mark.django_db
REFUSED = "Ce formulaire a été envoyé avec la clé d’un autre formulaire déjà enregistré"


def outbox(user) -> dict:
    return {"HTTP_X_OUTBOX": "1", "HTTP_X_OUTBOX_AUTHOR": str(user.pk)}


def test_a_key_reused_for_another_exchanges_changes_is_refused_and_the_form_keeps_the_text(
    client, officer_savoie, partnership, visit
):
    other = ExchangeFactory(partnership=partnership, title_fr="Atelier de Bignona")
    client.force_login(officer_savoie)
    key = str(uuid.uuid4())
    client.post(
        f"/fr/exchanges/{visit.pk}/edit/",
        exchange_form_data(visit, title_fr="Visite du foyer, complétée", submission_key=key),
    )

    response = client.post(
        f"/fr/exchanges/{other.pk}/edit/",
        exchange_form_data(other, title_fr="Atelier de Bignona, complété", submission_key=key),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert REFUSED in html
    assert "Atelier de Bignona, complété" in html  # what was typed is kept
    form = response.context["form"]
    assert form["submission_key"].value() != key  # saving again is a new sending
    other.refresh_from_db()
    assert other.title_fr == "Atelier de Bignona"
    assert other.version == 1
    assert SubmissionKey.objects.get().target == str(visit.pk)


def test_a_new_exchange_sent_with_a_cross_views_key_is_refused_not_dropped(
    client, officer_bignona, visit
):
    client.force_login(officer_bignona)
    key = str(uuid.uuid4())
    client.post(
        f"/fr/exchanges/{visit.pk}/cross-views/bignona/",
        {"text_fr": "Nos cases de santé.", "version": "0", "submission_key": key},
    )

    response = client.post(
        "/fr/exchanges/new/", exchange_form_data(title_fr="Atelier hors ligne", submission_key=key)
    )

    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert not Exchange.objects.filter(title_fr="Atelier hors ligne").exists()


def test_the_outbox_is_told_a_reused_key_is_refused(client, officer_bignona, visit):
    client.force_login(officer_bignona)
    key = str(uuid.uuid4())
    client.post(
        "/fr/exchanges/new/", exchange_form_data(submission_key=key), **outbox(officer_bignona)
    )

    answer = client.post(
        f"/fr/exchanges/{visit.pk}/cross-views/bignona/",
        {"text_fr": "Écrit hors ligne.", "version": "0", "submission_key": key},
        **outbox(officer_bignona),
    )

    assert answer.status_code == 422
    assert answer.json()["state"] == "refused"
    assert REFUSED in answer.json()["message"]
    assert not CrossView.objects.exists()


def test_the_same_key_for_the_same_form_is_still_already_saved(client, officer_savoie, visit):
    client.force_login(officer_savoie)
    data = exchange_form_data(visit, title_fr="Deux fois", submission_key=str(uuid.uuid4()))

    first = client.post(f"/fr/exchanges/{visit.pk}/edit/", data, **outbox(officer_savoie))
    again = client.post(f"/fr/exchanges/{visit.pk}/edit/", data, **outbox(officer_savoie))

    assert first.json() == again.json()
    assert again.json()["state"] == "sent"
    visit.refresh_from_db()
    assert visit.version == 2


def test_an_edit_sent_twice_at_once_answers_already_saved_in_the_race_order(
    client, officer_savoie, visit
):
    """The second sending looked for its key before the first one committed (nothing found),
    then met the first one's save as a changed version: it is the same edit, already saved."""
    client.force_login(officer_savoie)
    data = exchange_form_data(visit, title_fr="Au même moment", submission_key=str(uuid.uuid4()))
    first = client.post(f"/fr/exchanges/{visit.pk}/edit/", data, **outbox(officer_savoie))
    lookups = []
    real = writes.previous_submission

    def before_the_first_committed(key, user):
        lookups.append(key)
        return None if len(lookups) == 1 else real(key, user)

    with mock.patch.object(writes, "previous_submission", before_the_first_committed):
        second = client.post(f"/fr/exchanges/{visit.pk}/edit/", data, **outbox(officer_savoie))
        lookups.clear()
        page = client.post(f"/fr/exchanges/{visit.pk}/edit/", data)  # the same, as a page

    assert second.status_code == 200, second.content
    assert second.json() == first.json()
    assert page.status_code == 302
    assert page["Location"] == f"/fr/exchanges/{visit.pk}/"
    visit.refresh_from_db()
    assert visit.version == 2
    assert visit.title_fr == "Au même moment"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
def test_two_sends_of_one_edit_at_the_same_moment_answer_already_saved(officer_savoie, partnership):
    visit = ExchangeFactory(partnership=partnership, title_fr="Visite du foyer")
    data = exchange_form_data(visit, title_fr="Envoyé deux fois", submission_key=str(uuid.uuid4()))
    url = f"/fr/exchanges/{visit.pk}/edit/"
    first_inside = threading.Event()
    release_first = threading.Event()
    answers: dict[str, object] = {}
    tell = services._tell_the_other_side

    def hold_the_first(exchange, author, event):
        # Called inside the first sending's transaction, after its key is recorded.
        if threading.current_thread().name == "first":
            first_inside.set()
            release_first.wait(timeout=10)
        tell(exchange, author, event)

    def send(name: str) -> None:
        try:
            browser = Client()
            browser.force_login(officer_savoie)
            answers[name] = browser.post(url, data, **outbox(officer_savoie))
        except Exception as error:  # shown by the assertions below
            answers[name] = error
        finally:
            first_inside.set()
            connections.close_all()

    with mock.patch.object(services, "_tell_the_other_side", hold_the_first):
        first = threading.Thread(target=send, args=("first",), name="first")
        second = threading.Thread(target=send, args=("second",), name="second")
        first.start()
        assert first_inside.wait(timeout=10)
        second.start()
        _wait_for_a_lock_wait()  # the second one waits for the first one's row lock
        release_first.set()
        for thread in (first, second):
            thread.join(timeout=30)

    assert answers["first"].status_code == 200, answers["first"]
    assert answers["second"].status_code == 200, answers["second"].content
    assert answers["second"].json() == answers["first"].json()
    assert answers["second"].json()["state"] == "sent"
    visit.refresh_from_db()
    assert visit.version == 2
    assert visit.title_fr == "Envoyé deux fois"


def _wait_for_a_lock_wait(seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    pytest.fail("the second sending never waited for the first one's lock")


def test_keys_older_than_thirty_days_are_pruned(client, officer_savoie, visit):
    client.force_login(officer_savoie)
    for title in ("Ancienne", "Récente"):
        client.post(
            f"/fr/exchanges/{visit.pk}/edit/",
            exchange_form_data(
                Exchange.objects.get(pk=visit.pk), title_fr=title, submission_key=str(uuid.uuid4())
            ),
        )
    old, recent = SubmissionKey.objects.order_by("pk")
    SubmissionKey.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )

    said = io.StringIO()
    call_command("prune_submission_keys", stdout=said)

    assert list(SubmissionKey.objects.all()) == [recent]
    assert said.getvalue().startswith("1 submission key")
