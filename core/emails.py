"""E-mails that arrive or say why: each one is a row (`OutgoingEmail`) and its own task.

`email_queue` writes the row and enqueues its task in the same transaction (with the database
backend both are rows of one commit: neither exists without the other). The task worker runs
`email_send`: an e-mail already sent is never sent again (a task run twice, a worker killed in
the middle of a batch and restarted), one the server refuses is tried again later, after 1, 5,
30 minutes and 2 hours, then marked failed; administrators see every e-mail in the admin
(status, attempts, the server's last answer) and send failed ones again (`email_retry`).

A worker killed while the server was accepting an e-mail leaves it pending: it is sent again
when its task is taken again (core/workers.py), so a person may get it twice, never zero times.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import OutgoingEmail

#: The waits before each new attempt; after the last one the e-mail is marked failed.
RETRY_DELAYS = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def one_line(subject: str) -> str:
    """A subject as a header needs it: one line, no space around it."""
    return " ".join(line.strip() for line in subject.splitlines() if line.strip())


def email_queue(*, to: str, subject: str, body: str, key: str | None = None) -> OutgoingEmail:
    """Keep the e-mail and hand it to the task worker. With a `key` already queued (the task
    that writes it runs again), the e-mail kept then is returned and nothing is added."""
    from .tasks import send_outgoing_email

    with transaction.atomic():
        if key is not None:
            email, created = OutgoingEmail.objects.get_or_create(
                key=key, defaults={"to": to, "subject": one_line(subject), "body": body}
            )
        else:
            email, created = (
                OutgoingEmail.objects.create(to=to, subject=one_line(subject), body=body),
                True,
            )
        if created:
            send_outgoing_email.enqueue(email_id=email.pk)
            email.refresh_from_db()  # a backend that runs tasks at once has sent it already
    return email


def email_queue_from_templates(
    *, to: str, templates: str, context: dict[str, Any], key: str | None = None
) -> OutgoingEmail:
    """The e-mail `<templates>_subject.txt` and `<templates>_body.txt` write, in the language
    active now (the reader's), kept and handed to the task worker as `email_queue` does."""
    subject = render_to_string(f"{templates}_subject.txt", context)
    body = render_to_string(f"{templates}_body.txt", context)
    return email_queue(to=to, subject=subject, body=body, key=key)


def email_send(*, email_id: int) -> OutgoingEmail | None:
    """Send the e-mail unless it has left already; on a refusal, record the server's answer and
    schedule the next attempt (or mark it failed), then raise, so the task reads failed too."""
    email = OutgoingEmail.objects.filter(pk=email_id).first()
    if email is None or email.status != OutgoingEmail.Status.PENDING:
        return email  # sent already, failed for good, or removed
    try:
        EmailMessage(subject=email.subject, body=email.body, to=[email.to]).send()
    except Exception as error:
        _record_failure(email, error)
        raise
    email.status = OutgoingEmail.Status.SENT
    email.attempts += 1
    email.sent_at = timezone.now()
    email.next_attempt_at = None
    email.save(update_fields=["status", "attempts", "sent_at", "next_attempt_at"])
    return email


def _record_failure(email: OutgoingEmail, error: Exception) -> None:
    from .tasks import send_outgoing_email

    email.attempts += 1
    email.last_error = f"{type(error).__name__}: {error}"[:2000]
    # A backend that cannot run a task later (the tests' immediate one) leaves it to an
    # administrator's retry.
    can_wait = send_outgoing_email.get_backend().supports_defer
    with transaction.atomic():
        if email.attempts < MAX_ATTEMPTS and can_wait:
            email.next_attempt_at = timezone.now() + RETRY_DELAYS[email.attempts - 1]
            send_outgoing_email.using(run_after=email.next_attempt_at).enqueue(email_id=email.pk)
        else:
            email.status = OutgoingEmail.Status.FAILED
            email.next_attempt_at = None
        email.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])


def email_retry(*, emails: Iterable[OutgoingEmail]) -> int:
    """Send failed e-mails again now (an administrator's action); returns how many. Pending
    ones are left alone: their task is already waiting."""
    from .tasks import send_outgoing_email

    again = 0
    for email in emails:
        with transaction.atomic():
            retried = OutgoingEmail.objects.filter(
                pk=email.pk, status=OutgoingEmail.Status.FAILED
            ).update(status=OutgoingEmail.Status.PENDING, next_attempt_at=timezone.now())
            if retried:
                send_outgoing_email.enqueue(email_id=email.pk)
                again += 1
    return again
