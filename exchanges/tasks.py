"""The exchanges' background work, run by the task worker (`manage.py db_worker`)."""

try:  # Django 6.0+
    from django.tasks import task
except ImportError:  # Django 5.2
    from django_tasks import task


@task()
def notify_other_side(
    exchange_id: int, author_id: int | None, event: str, version: int | None = None
) -> None:
    """Write the notices of an exchange's change, each then sent by its own task."""
    from .notifications import notify_other_side as write

    write(exchange_id=exchange_id, author_id=author_id, event=event, version=version)
