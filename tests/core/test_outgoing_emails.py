"""Each e-mail the site sends is kept and sent by its own task: one the mail server refuses is
tried again later, then shown to the administrators as not sent, who send it again; one sent is
never sent twice."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.emails import MAX_ATTEMPTS, email_queue, email_send
from core.models import OutgoingEmail
from partners.models import Profile
from reporting.versions import render_restitution_version
from tests.factories import savoie, user_with_role
from tests.reporting_factories import DUMMY_TASKS, IMMEDIATE_TASKS

try:  # Django 6.0+
    from django.tasks import task_backends
except ImportError:  # Django 5.2
    from django_tasks import task_backends

# Django 6.1 moves e-mail configuration to MAILERS (EMAIL_BACKEND and get_connection() are
# deprecated until 2028, still working): these stories set the backend the 5.2 way on both.
EMAIL_BACKEND_DEPRECATION = [
    pytest.mark.filterwarnings("ignore:The EMAIL_BACKEND setting is deprecated"),
    pytest.mark.filterwarnings(r"ignore:get_connection\(\) is deprecated"),
    pytest.mark.filterwarnings("ignore:The 'connection' argument is deprecated"),
]
pytestmark = [pytest.mark.django_db, *EMAIL_BACKEND_DEPRECATION]

REFUSING = "tests.core.test_outgoing_emails.RefusingBackend"


class RefusingBackend(EmailBackend):
    """A mail server that refuses the addresses of `refused` (all of them when empty)."""

    refused: set[str] = set()

    def send_messages(self, messages):
        for message in messages:
            if not self.refused or set(message.to) & self.refused:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"Mailbox unavailable")})
        return super().send_messages(messages)


@pytest.fixture
def refusing(settings):
    settings.EMAIL_BACKEND = REFUSING
    RefusingBackend.refused = set()
    yield RefusingBackend
    RefusingBackend.refused = set()


def queued_tasks() -> list:
    return list(task_backends["default"].results)


def test_an_email_is_kept_and_handed_to_its_own_task(settings):
    settings.TASKS = DUMMY_TASKS

    email = email_queue(to="marie@savoie.example", subject="Bonjour\n", body="Texte")

    assert (email.status, email.subject, email.attempts) == (
        OutgoingEmail.Status.PENDING,
        "Bonjour",
        0,
    )
    assert [(task.task.name, task.kwargs) for task in queued_tasks()] == [
        ("send_outgoing_email", {"email_id": email.pk})
    ]
    assert mail.outbox == []


def test_a_sent_email_is_not_sent_again_when_its_task_runs_twice(settings):
    settings.TASKS = DUMMY_TASKS
    email = email_queue(to="marie@savoie.example", subject="Bonjour", body="Texte")

    email_send(email_id=email.pk)
    email_send(email_id=email.pk)  # the task run again (a worker restarted, a retry)

    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.SENT, 1)
    assert email.sent_at is not None


def test_a_refused_email_is_tried_again_later_then_marked_not_sent(settings, refusing):
    settings.TASKS = DUMMY_TASKS
    email = email_queue(to="lamine@bignona.example", subject="Bonjour", body="Texte")
    before = timezone.now()

    with pytest.raises(smtplib.SMTPRecipientsRefused):
        email_send(email_id=email.pk)

    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.PENDING, 1)
    assert "Mailbox unavailable" in email.last_error
    wait = email.next_attempt_at - before
    assert datetime.timedelta(seconds=55) < wait < datetime.timedelta(seconds=65)  # a minute
    retry = queued_tasks()[-1]
    assert (retry.task.name, retry.kwargs) == ("send_outgoing_email", {"email_id": email.pk})
    assert retry.task.run_after == email.next_attempt_at
    waits = [wait]
    for _attempt in range(2, MAX_ATTEMPTS + 1):
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            email_send(email_id=email.pk)
        email.refresh_from_db()
        if email.next_attempt_at:
            waits.append(email.next_attempt_at - timezone.now())
    assert (email.status, email.attempts) == (OutgoingEmail.Status.FAILED, MAX_ATTEMPTS)
    assert waits == sorted(waits)  # each wait longer than the one before
    assert len(queued_tasks()) == MAX_ATTEMPTS  # the first, then one per retry: no more
    assert mail.outbox == []


def test_one_refused_address_does_not_hold_back_the_others(settings, refusing):
    settings.TASKS = IMMEDIATE_TASKS
    refusing.refused = {"wrong@bignona.example"}

    emails = [
        email_queue(to=address, subject="Bonjour", body="Texte")
        for address in ("lamine@bignona.example", "wrong@bignona.example", "awa@bignona.example")
    ]

    assert [message.to for message in mail.outbox] == [
        ["lamine@bignona.example"],
        ["awa@bignona.example"],
    ]
    assert [email.status for email in emails] == [
        OutgoingEmail.Status.SENT,
        # The immediate backend cannot wait: not sent, for an administrator to send again.
        OutgoingEmail.Status.FAILED,
        OutgoingEmail.Status.SENT,
    ]


def test_an_administrator_sees_the_emails_not_sent_and_sends_them_again(
    client, settings, administrator, refusing
):
    settings.TASKS = IMMEDIATE_TASKS
    failed = email_queue(to="lamine@bignona.example", subject="Nouvel échange", body="Texte")
    sent = email_queue(to="awa@bignona.example", subject="Autre", body="Texte")
    sent.status = OutgoingEmail.Status.SENT
    sent.save()
    client.force_login(administrator)

    listed = client.get("/fr/admin/core/outgoingemail/?status__exact=failed").content.decode()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    response = client.post(
        "/fr/admin/core/outgoingemail/",
        {"action": "send_again", "_selected_action": [failed.pk, sent.pk]},
        follow=True,
    )

    assert "lamine@bignona.example" in listed
    assert "awa@bignona.example" not in listed
    assert "1 courriel confié à nouveau au processus de tâches" in response.content.decode()
    assert [message.to for message in mail.outbox] == [["lamine@bignona.example"]]
    failed.refresh_from_db()
    assert failed.status == OutgoingEmail.Status.SENT


def test_an_invitation_whose_mail_was_refused_says_so(client, settings, administrator, refusing):
    settings.TASKS = IMMEDIATE_TASKS
    user_with_role("fatou", Profile.Role.OFFICER, savoie(), email="fatou@example.org")
    client.force_login(administrator)
    fatou = Profile.objects.get(user__username="fatou").user

    response = client.post(
        "/fr/admin/auth/user/", {"action": "invite", "_selected_action": [fatou.pk]}, follow=True
    )

    page = response.content.decode().replace("\xa0", " ")
    assert "Invitation envoyée" not in page
    assert "L’invitation à fatou n’a pas pu être envoyée" in page
    assert "Mailbox unavailable" in page
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.FAILED


def test_an_invitation_waiting_for_the_worker_says_so(client, settings, administrator):
    settings.TASKS = DUMMY_TASKS
    user_with_role("fatou", Profile.Role.OFFICER, savoie(), email="fatou@example.org")
    client.force_login(administrator)
    fatou = Profile.objects.get(user__username="fatou").user

    response = client.post(
        "/fr/admin/auth/user/", {"action": "invite", "_selected_action": [fatou.pk]}, follow=True
    )

    page = response.content.decode().replace("\xa0", " ")
    assert "Invitation envoyée" not in page
    assert "Invitation à fatou écrite" in page
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.PENDING


def test_an_administrator_runs_a_failed_task_again(client, settings, administrator):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    failed = render_restitution_version.enqueue(version_id=4242)
    DBTaskResult.objects.get(pk=failed.id).set_failed(RuntimeError("the disk was full"))
    client.force_login(administrator)

    listed = client.get("/fr/admin/django_tasks_database/dbtaskresult/?status__exact=FAILED")
    response = client.post(
        "/fr/admin/django_tasks_database/dbtaskresult/",
        {"action": "run_again", "_selected_action": [failed.id]},
        follow=True,
    )

    assert str(failed.id) in listed.content.decode()
    assert "1 tâche confiée à nouveau au processus de tâches" in response.content.decode()
    again = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert again.task_path == "reporting.versions.render_restitution_version"
    assert again.args_kwargs == {"args": [], "kwargs": {"version_id": 4242}}
