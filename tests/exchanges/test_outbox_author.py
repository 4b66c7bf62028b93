"""On a shared phone, an officer's offline work is saved under their own name only (issue 19,
item 7): an outbox item says whose it is, and the server refuses it under another session."""

import json
import uuid

import pytest

from exchanges.models import Exchange
from tests.factories import exchange_form_data

pytestmark = pytest.mark.django_db
WAITS = "Cet élément a été fait sur cet appareil sous un autre compte"


@pytest.mark.parametrize("author", ["officer_bignona", None], ids=["another", "none"])
def test_an_outbox_item_made_under_another_account_is_not_saved_under_this_one(
    request, client, officer_savoie, partnership, author
):
    client.force_login(officer_savoie)
    headers = {"HTTP_X_OUTBOX": "1"}
    if author:
        headers["HTTP_X_OUTBOX_AUTHOR"] = str(request.getfixturevalue(author).pk)

    answer = client.post(
        "/fr/exchanges/new/", exchange_form_data(submission_key=str(uuid.uuid4())), **headers
    )

    assert answer.status_code == 403
    assert answer.json()["state"] == "account"
    assert answer.json()["message"].startswith(WAITS)
    assert not Exchange.objects.exists()


def test_an_outbox_item_sent_by_its_authors_session_is_saved_under_their_name(
    client, officer_bignona, partnership
):
    client.force_login(officer_bignona)

    answer = client.post(
        "/fr/exchanges/new/",
        exchange_form_data(submission_key=str(uuid.uuid4())),
        HTTP_X_OUTBOX="1",
        HTTP_X_OUTBOX_AUTHOR=str(officer_bignona.pk),
    )

    assert answer.json()["state"] == "sent"
    assert Exchange.objects.get().created_by == officer_bignona


def test_the_outbox_asks_whose_session_this_browser_holds(client, officer_savoie):
    assert client.get("/fr/exchanges/outbox/account/").json() == {"user": None}
    client.force_login(officer_savoie)

    answer = client.get("/fr/exchanges/outbox/account/")

    assert answer.json() == {"user": officer_savoie.pk}
    assert "no-store" in answer["Cache-Control"]


def test_each_page_a_member_is_shown_says_whose_it_is(client, officer_savoie, partnership):
    assert "X-Account" not in client.get("/fr/")
    client.force_login(officer_savoie)

    assert client.get("/fr/exchanges/")["X-Account"] == str(officer_savoie.pk)


def test_the_service_worker_keeps_pages_per_release_with_a_translated_sentence(client, settings):
    answer = client.get("/sw.js")

    first_line, code = answer.content.decode().split("\n", 1)
    shell = json.loads(first_line.removeprefix("self.SHELL = ").removesuffix(";"))
    assert shell["release"] == settings.CACHES["default"].get("KEY_PREFIX", "")
    assert shell["pages"] == 30
    assert shell["offline"]["fr"]["title"] == "Pas de connexion"
    assert shell["offline"]["en"]["title"] == "No connection"
    assert '"pages-" + SHELL.release' in code
    assert "Pas de connexion" not in code  # no sentence written in the worker itself
