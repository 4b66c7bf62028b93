"""A forgotten-password form nobody can turn into a mail cannon or an address book: a few
emails per mailbox and per client an hour, the same neutral page whatever happens, the same
work for a known address as for an unknown one, and a link that starts with the site's own
address (DJANGO_SITE_URL), whatever Host header the request came with."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import accounts
from tests.reporting_factories import DUMMY_TASKS, IMMEDIATE_TASKS

try:  # Django 6.0+
    from django.tasks import task_backends
except ImportError:  # Django 5.2
    from django_tasks import task_backends

pytestmark = pytest.mark.django_db

RESET = "/fr/accounts/password/reset/"
SENT = "/fr/accounts/password/reset/sent/"


@pytest.fixture
def marie(officer_savoie):
    officer_savoie.email = "marie@savoie.example"
    officer_savoie.save()
    return officer_savoie


def ask(client, email: str, *, remote: str = "203.0.113.5", **headers):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=remote, **headers)


def test_thirty_requests_for_one_address_send_three_emails(client, settings, marie):
    settings.TASKS = IMMEDIATE_TASKS

    answers = [ask(client, "marie@savoie.example", remote=f"198.51.100.{n}") for n in range(30)]

    assert {(a.status_code, a["Location"]) for a in answers} == {(302, SENT)}
    assert len(mail.outbox) == accounts.RESETS_PER_EMAIL == 3
    assert {tuple(message.to) for message in mail.outbox} == {("marie@savoie.example",)}


def test_the_limit_per_mailbox_ignores_the_case_of_the_address(client, settings, marie):
    settings.TASKS = IMMEDIATE_TASKS
    for n in range(accounts.RESETS_PER_EMAIL):
        ask(client, "marie@savoie.example", remote=f"198.51.100.{n}")

    ask(client, "MARIE@Savoie.example", remote="198.51.100.99")

    assert len(mail.outbox) == accounts.RESETS_PER_EMAIL


def test_one_client_asking_for_many_addresses_is_limited(client, settings, django_user_model):
    settings.TASKS = IMMEDIATE_TASKS
    for n in range(accounts.RESETS_PER_CLIENT + 5):
        django_user_model.objects.create_user(f"agent{n}", f"agent{n}@example.org", "x-Secret-9")

    answers = [ask(client, f"agent{n}@example.org") for n in range(accounts.RESETS_PER_CLIENT + 5)]
    elsewhere = ask(client, "agent14@example.org", remote="192.0.2.77")

    assert {(a.status_code, a["Location"]) for a in [*answers, elsewhere]} == {(302, SENT)}
    assert len(mail.outbox) == accounts.RESETS_PER_CLIENT + 1  # and one for another client


def test_a_client_limited_on_unknown_addresses_is_limited_on_known_ones(client, settings, marie):
    settings.TASKS = IMMEDIATE_TASKS
    for n in range(accounts.RESETS_PER_CLIENT):
        ask(client, f"nobody{n}@example.org")

    answer = ask(client, "marie@savoie.example")

    assert (answer.status_code, answer["Location"]) == (302, SENT)
    assert mail.outbox == []


def test_known_and_unknown_addresses_do_the_same_work_in_the_request(client, settings, marie):
    """The same queries (the task's row, no account looked up) and the same task queued; the
    worker finds out whether an account has the address."""
    with CaptureQueriesContext(connection) as known:
        ask(client, "marie@savoie.example")
    with CaptureQueriesContext(connection) as unknown:
        ask(client, "nobody@example.org")

    def shapes(queries):
        return [query["sql"].split(" VALUES ")[0].split(" WHERE ")[0] for query in queries]

    assert shapes(known.captured_queries) == shapes(unknown.captured_queries)
    assert any(query["sql"].startswith("INSERT") for query in unknown.captured_queries)
    assert not any("auth_user" in query["sql"] for query in known.captured_queries)


def test_known_and_unknown_addresses_queue_the_same_task(client, settings, marie):
    settings.TASKS = DUMMY_TASKS

    ask(client, "marie@savoie.example")
    ask(client, "nobody@example.org")

    queued = task_backends["default"].results
    assert [(result.task.name, sorted(result.kwargs)) for result in queued] == [
        ("send_password_reset", ["email", "language"]),
        ("send_password_reset", ["email", "language"]),
    ]


def test_the_link_starts_with_the_sites_address_whatever_the_host_header(client, settings, marie):
    settings.TASKS = IMMEDIATE_TASKS
    settings.SITE_URL = "https://regard-croise.example"
    settings.ALLOWED_HOSTS = ["testserver", "attacker.example"]

    answer = ask(client, "marie@savoie.example", HTTP_HOST="attacker.example")

    assert answer.status_code == 302
    (message,) = mail.outbox
    assert "https://regard-croise.example/fr/accounts/password/reset/" in message.body
    assert "attacker.example" not in message.body


def test_an_invitation_link_starts_with_the_sites_address_too(client, settings, administrator):
    settings.TASKS = IMMEDIATE_TASKS
    settings.SITE_URL = "https://regard-croise.example"
    settings.ALLOWED_HOSTS = ["testserver", "attacker.example"]
    administrator.email = "admin@example.org"
    administrator.save()
    client.force_login(administrator)

    client.post(
        "/fr/admin/auth/user/",
        {"action": "invite", "_selected_action": [administrator.pk]},
        HTTP_HOST="attacker.example",
    )

    (message,) = mail.outbox
    assert "https://regard-croise.example/fr/accounts/password/reset/" in message.body
    assert "attacker.example" not in message.body
