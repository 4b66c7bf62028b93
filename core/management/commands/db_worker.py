"""`manage.py db_worker`: django-tasks-db's worker, with a heartbeat that lets another worker
take again the tasks of a worker that died (core/workers.py), at a lower CPU priority than the
web server (`TASK_WORKER_NICENESS`). Same options as the original."""

import os
from typing import Any

from django.conf import settings
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from core.database import limit_statements
from core.workers import (
    Heartbeat,
    heartbeat_start,
    heartbeat_stop,
    task_started_now,
    tasks_recover_left_by,
)


class Worker(db_worker.Worker):
    def run(self) -> None:
        heartbeat_start(self.worker_id)  # alive before it takes its first task
        # Started again under the same id: what the dead process was running is taken back.
        tasks_recover_left_by(self.worker_id)
        heartbeat = Heartbeat(self.worker_id)
        heartbeat.start()
        try:
            super().run()
        finally:
            heartbeat.stop()
            heartbeat_stop(self.worker_id)

    # Any task's signature and result (quoted: the model is generic for type checkers only).
    def run_task(self, db_task_result: "DBTaskResult[..., Any]") -> None:
        task_started_now(db_task_result)  # the database's clock, as the lease's
        super().run_task(db_task_result)


class Command(db_worker.Command):
    help = (
        "Run a database background worker; a task left running by a worker that died is taken "
        "again by another."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.TASK_WORKER_NICENESS:
            os.nice(settings.TASK_WORKER_NICENESS)
        limit_statements(settings.WORKER_STATEMENT_TIMEOUT_MS)
        # The original builds its Worker from the module's name: ours is used instead.
        original = db_worker.Worker
        db_worker.Worker = Worker  # type: ignore[misc]  # swapped for this run, put back below
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original  # type: ignore[misc]  # the original class again
