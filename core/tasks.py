"""Background work every app may hand over: sending e-mails. The worker (`manage.py db_worker`)
sends them, never a web request: an SMTP server that is slow or down does not hold a page.
Each e-mail is its own task (core/emails.py): one refused does not stop the others, one sent
is not sent again when a batch is run again.

Django 6 has the tasks framework built in (`django.tasks`); on Django 5.2 the django-tasks
backport provides the same API."""

try:  # Django 6.0+
    from django.tasks import task
except ImportError:  # Django 5.2
    # The backport's decorator under the same name (mypy reads Django 6's stubs first).
    from django_tasks import task  # type: ignore[no-redef]

__all__ = ["send_email", "send_outgoing_email", "task"]


@task()
def send_outgoing_email(email_id: int) -> None:
    """Send one kept e-mail (core/emails.py `email_send`); a refusal is recorded, retried
    later, and fails this task so the admin's task list shows it too."""
    from .emails import email_send

    email_send(email_id=email_id)


@task()
def send_email(*, subject: str, body: str, to: list[str]) -> None:
    """The previous release's task (the whole e-mail in its arguments): one still waiting when
    the site is updated is kept as an e-mail of its own, with its own task."""
    from .emails import email_queue

    for address in to:
        email_queue(to=address, subject=subject, body=body)
