"""Each sending of a form is saved once: a double click on "Log this exchange", or a phone's
outbox sending again after the answer was lost on the way back, gets the first result and
creates no duplicate (exchanges/submissions.py)."""

import uuid

import pytest

from exchanges.models import Attachment, CrossView, Exchange, SubmissionKey
from tests.factories import JPEG_BYTES, CrossViewFactory, exchange_form_data

pytestmark = pytest.mark.django_db


def outbox(user) -> dict:
    """The headers of an item sent by a phone's outbox, made under `user`'s account."""
    return {"HTTP_X_OUTBOX": "1", "HTTP_X_OUTBOX_AUTHOR": str(user.pk)}


def test_submitting_the_new_exchange_form_twice_logs_one_exchange(
    client, officer_savoie, partnership
):
    client.force_login(officer_savoie)
    data = exchange_form_data(submission_key=str(uuid.uuid4()))

    first = client.post("/fr/exchanges/new/", data)
    second = client.post("/fr/exchanges/new/", data)

    exchange = Exchange.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/fr/exchanges/{exchange.pk}/"
    page = client.get(second["Location"]).content.decode()
    assert "C’était déjà enregistré, une seule fois" in page
    assert Exchange.history.count() == 1


def test_a_retry_after_a_lost_answer_gets_the_same_result_and_no_duplicate(
    client, officer_bignona, partnership
):
    client.force_login(officer_bignona)
    key = str(uuid.uuid4())
    data = exchange_form_data(
        submission_key=key, **{"cross_view-text_fr": "Ce que Bignona en retient."}
    )

    answers = [client.post("/fr/exchanges/new/", data, **outbox(officer_bignona)) for _ in range(3)]

    exchange = Exchange.objects.get()
    assert {answer.status_code for answer in answers} == {200}
    assert {answer.json()["exchange"] for answer in answers} == {exchange.pk}
    assert answers[0].json() == answers[2].json()
    # The cross view written in the same form is saved with it, once, on Bignona's side.
    view = CrossView.objects.get()
    assert (view.exchange, view.territory.slug, view.text) == (
        exchange,
        "bignona",
        "Ce que Bignona en retient.",
    )
    assert SubmissionKey.objects.get().key == uuid.UUID(key)


def test_the_same_key_from_another_person_is_another_sending(
    client, officer_savoie, officer_bignona, partnership
):
    key = str(uuid.uuid4())
    for officer in (officer_savoie, officer_bignona):
        client.force_login(officer)
        client.post("/fr/exchanges/new/", exchange_form_data(submission_key=key))

    assert Exchange.objects.count() == 2


def test_a_cross_view_sent_again_after_a_lost_answer_is_not_a_conflict(
    client, officer_bignona, visit
):
    client.force_login(officer_bignona)
    data = {"text_fr": "Nos cases de santé.", "version": "0", "submission_key": str(uuid.uuid4())}
    url = f"/fr/exchanges/{visit.pk}/cross-views/bignona/"

    first = client.post(url, data, **outbox(officer_bignona))
    again = client.post(
        url, data, **outbox(officer_bignona)
    )  # version 0 again: without the key, a conflict

    assert first.json()["state"] == again.json()["state"] == "sent"
    view = CrossView.objects.get()
    assert view.version == 1
    assert view.text_fr == "Nos cases de santé."


def test_a_photo_sent_again_is_stored_once(client, officer_bignona, visit, media_root):
    client.force_login(officer_bignona)
    key = str(uuid.uuid4())

    for _ in range(2):
        with open(media_root.parent / "photo.jpg", "wb") as handle:
            handle.write(JPEG_BYTES)
        with open(media_root.parent / "photo.jpg", "rb") as photo:
            client.post(
                f"/fr/exchanges/{visit.pk}/attachments/new/",
                {"file": photo, "caption_fr": "La case de santé", "submission_key": key},
                **outbox(officer_bignona),
            )

    assert Attachment.objects.count() == 1
    stored = [path for path in media_root.rglob("*") if path.is_file()]
    assert len(stored) == 2  # the photo and its thumbnail, once


def test_the_outbox_is_told_why_an_item_is_refused(client, officer_savoie, partnership):
    client.force_login(officer_savoie)

    answer = client.post(
        "/fr/exchanges/new/",
        exchange_form_data(title_fr="", submission_key=str(uuid.uuid4())),
        **outbox(officer_savoie),
    )

    assert answer.status_code == 422
    assert answer.json()["state"] == "refused"
    assert answer.json()["errors"]["title_fr"] == ["Donnez un titre à l’échange, en français."]
    assert not Exchange.objects.exists()
    assert not SubmissionKey.objects.exists()


def test_the_outbox_is_told_of_a_conflict_and_the_page_shows_both_texts(
    client, officer_bignona, visit
):
    CrossViewFactory(
        exchange=visit, territory=officer_bignona.profile.territory, text_fr="Leur texte"
    )
    client.force_login(officer_bignona)
    data = {
        "text_fr": "Mon texte écrit hors ligne",
        "version": "0",
        "submission_key": str(uuid.uuid4()),
    }
    url = f"/fr/exchanges/{visit.pk}/cross-views/bignona/"

    answer = client.post(url, data, **outbox(officer_bignona))
    page = client.post(url, data)  # the outbox then opens the conflict page

    assert answer.status_code == 409
    assert answer.json() == {"state": "conflict"}
    html = page.content.decode()
    assert "Leur texte" in html
    assert "Mon texte écrit hors ligne" in html
    assert "data-draft-conflict" in html  # drafts.js takes the newer version at once
    assert CrossView.objects.get().text_fr == "Leur texte"
