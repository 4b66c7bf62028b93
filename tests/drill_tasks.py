"""A task for the worker drills (tests/core/test_worker_restarted_with_the_same_id.py): any
task will do; this one says each time it starts, and the first time it runs until its worker is
killed."""

import time
from pathlib import Path

try:  # Django 6.0+
    from django.tasks import task
except ImportError:  # Django 5.2
    from django_tasks import task

#: How long the first attempt waits for the drill to kill its worker.
FIRST_ATTEMPT_SECONDS = 120


@task()
def note_each_attempt(folder: str) -> int:
    """Writes `attempt-<n>` in `folder`; the first attempt then waits to be killed."""
    attempts = sorted(Path(folder).glob("attempt-*"))
    number = len(attempts) + 1
    (Path(folder) / f"attempt-{number}").touch()
    if number == 1:
        time.sleep(FIRST_ATTEMPT_SECONDS)
    return number
