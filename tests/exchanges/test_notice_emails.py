"""The other side's notices: subjects as the title was typed, the dates as a person writes them,
one e-mail and one task per officer, and nothing sent twice when a worker is killed in the
middle of sending them and restarted."""

import datetime

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.models import OutgoingEmail
from core.workers import tasks_recover_abandoned
from exchanges.notifications import CHANGED, LOGGED, notify_other_side
from exchanges.tasks import notify_other_side as notify_task
from partners.models import Profile
from tests.factories import ExchangeFactory, bignona, user_with_role
from tests.reporting_factories import DUMMY_TASKS, IMMEDIATE_TASKS

try:  # Django 6.0+
    from django.tasks import task_backends
except ImportError:  # Django 5.2
    from django_tasks import task_backends

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
WORKSHOP = "Atelier sur l'inclusion"


# Django 6.1 moves e-mail configuration to MAILERS (EMAIL_BACKEND and get_connection() are
# deprecated until 2028, still working): these stories set the backend the 5.2 way on both.
EMAIL_BACKEND_DEPRECATION = [
    pytest.mark.filterwarnings("ignore:The EMAIL_BACKEND setting is deprecated"),
    pytest.mark.filterwarnings(r"ignore:get_connection\(\) is deprecated"),
    pytest.mark.filterwarnings("ignore:The 'connection' argument is deprecated"),
]
pytestmark = EMAIL_BACKEND_DEPRECATION


@pytest.fixture
def bignona_officers(officer_bignona):
    """Bignona's officer reads French, a colleague English, a third French."""
    officer_bignona.email = "lamine@bignona.example"
    officer_bignona.save()
    english = user_with_role("awa-en", Profile.Role.OFFICER, bignona(), email="awa@bignona.example")
    Profile.objects.filter(user=english).update(language="en")
    user_with_role("ousmane", Profile.Role.OFFICER, bignona(), email="ousmane@bignona.example")
    return ["lamine@bignona.example", "awa@bignona.example", "ousmane@bignona.example"]


def sent_to(address: str):
    return next(message for message in mail.outbox if message.to == [address])


@pytest.mark.django_db
def test_a_title_with_an_apostrophe_reads_as_typed_in_the_subject(
    settings, officer_savoie, bignona_officers, partnership
):
    settings.TASKS = IMMEDIATE_TASKS
    exchange = ExchangeFactory(partnership=partnership, title_fr=WORKSHOP)

    notify_other_side(exchange_id=exchange.pk, author_id=officer_savoie.pk, event=LOGGED)

    assert sent_to("lamine@bignona.example").subject == (
        "Regard croisé : un nouvel échange, « Atelier sur l'inclusion »"
    )
    assert sent_to("awa@bignona.example").subject == (
        "Regard croisé: a new exchange, “Atelier sur l'inclusion”"
    )
    assert "l'inclusion" in sent_to("lamine@bignona.example").body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("end", "french", "english"),
    [
        (
            datetime.date(2026, 11, 29),
            "Le 29 novembre 2026, accueilli par la Savoie.",
            "On 29 November 2026, hosted by Savoie.",
        ),
        (
            datetime.date(2026, 11, 30),
            "Du 29 novembre 2026 au 30 novembre 2026, accueilli par la Savoie.",
            "From 29 November 2026 to 30 November 2026, hosted by Savoie.",
        ),
    ],
)
def test_the_notice_gives_the_day_of_a_one_day_exchange_once(
    settings, officer_savoie, bignona_officers, partnership, end, french, english
):
    settings.TASKS = IMMEDIATE_TASKS
    exchange = ExchangeFactory(
        partnership=partnership, start_date=datetime.date(2026, 11, 29), end_date=end
    )

    notify_other_side(exchange_id=exchange.pk, author_id=officer_savoie.pk, event=LOGGED)

    assert french in sent_to("lamine@bignona.example").body
    assert english in sent_to("awa@bignona.example").body


@pytest.mark.django_db
def test_each_notice_is_its_own_task_and_a_rerun_writes_none_twice(
    settings, officer_savoie, bignona_officers, partnership
):
    settings.TASKS = DUMMY_TASKS
    exchange = ExchangeFactory(partnership=partnership)

    for _run in range(2):  # the task run again (a worker killed after it, a retry)
        notify_other_side(exchange_id=exchange.pk, author_id=officer_savoie.pk, event=LOGGED)

    emails = OutgoingEmail.objects.order_by("pk")
    assert [email.to for email in emails] == bignona_officers
    queued = task_backends["default"].results
    assert [(task.task.name, task.kwargs["email_id"]) for task in queued] == [
        ("send_outgoing_email", email.pk) for email in emails
    ]
    assert mail.outbox == []
    # A later change is news: its notices are written.
    notify_other_side(
        exchange_id=exchange.pk, author_id=officer_savoie.pk, event=CHANGED, version=2
    )
    assert OutgoingEmail.objects.count() == 6


class WorkerKilled(BaseException):
    """The worker's process dies: nothing after this line runs, nothing is recorded."""


class DiesAtTheSecondEmail(EmailBackend):
    sent = 0

    def send_messages(self, messages):
        if DiesAtTheSecondEmail.sent == 1:
            raise WorkerKilled
        DiesAtTheSecondEmail.sent += len(messages)
        return super().send_messages(messages)


def run_workers() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_sending_sends_nothing_twice_and_the_rest_after_restart(
    settings, monkeypatch, officer_savoie, bignona_officers, partnership
):
    settings.TASKS = DATABASE_TASKS
    settings.TASK_WORKER_LEASE_SECONDS = 60
    settings.EMAIL_BACKEND = "tests.exchanges.test_notice_emails.DiesAtTheSecondEmail"
    DiesAtTheSecondEmail.sent = 0
    original_set_failed = DBTaskResult.set_failed

    def process_dies(result, error):  # a killed process records nothing
        if isinstance(error, WorkerKilled):
            raise error
        original_set_failed(result, error)

    monkeypatch.setattr(DBTaskResult, "set_failed", process_dies)
    exchange = ExchangeFactory(partnership=partnership)
    notify_task.enqueue(exchange_id=exchange.pk, author_id=officer_savoie.pk, event=LOGGED)

    with pytest.raises(WorkerKilled):
        run_workers()

    assert [message.to for message in mail.outbox] == [["lamine@bignona.example"]]
    running = DBTaskResult.objects.get(status=TaskResultStatus.RUNNING)
    # Restarted: once the lease is over, the task the dead worker held is taken again.
    DBTaskResult.objects.filter(pk=running.pk).update(
        started_at=timezone.now() - datetime.timedelta(seconds=120)
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    tasks_recover_abandoned()
    run_workers()

    assert sorted(message.to[0] for message in mail.outbox) == sorted(bignona_officers)
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"}
    assert not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists()
