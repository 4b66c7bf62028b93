"""Background work every app may hand over: sending emails. The worker (`manage.py db_worker`)
sends them, never a web request: an SMTP server that is slow or down does not hold a page.

Django 6 has the tasks framework built in (`django.tasks`); on Django 5.2 the django-tasks
backport provides the same API."""

try:  # Django 6.0+
    from django.tasks import task
except ImportError:  # Django 5.2
    from django_tasks import task


@task()
def send_email(*, subject: str, body: str, to: list[str]) -> None:
    """One plain-text email, already written (in its reader's language) by whoever enqueued it.
    Sent through Django's email framework: EMAIL_BACKEND and the SMTP settings."""
    from django.core.mail import EmailMessage

    EmailMessage(subject=subject, body=body, to=to).send()
