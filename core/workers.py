"""Task workers that may die: a heartbeat per worker, and tasks of dead workers taken again.

django-tasks-db hands a task to exactly one worker: the worker selects a ready task with
`SELECT … FOR UPDATE SKIP LOCKED` and marks it running (with its worker id) in the same
transaction, so two workers never take the same task. But it never looks back: a worker killed
while it runs a task (SIGKILL, out of memory, its machine switched off) leaves that task
running for ever, and nobody finishes it.

So each worker (`manage.py db_worker`, core/management/commands/db_worker.py) keeps a
`WorkerHeartbeat` row up to date from a thread, every quarter of the lease
(`TASK_WORKER_LEASE_SECONDS`, 60 s by default), and, at each beat, looks for tasks running under
a worker that has not beaten for a whole lease: such a task is made ready again, and the next
free worker takes it as usual (its `worker_ids` then name both workers). A task taken again
`TASK_MAX_ATTEMPTS` times is marked failed instead: it may be what kills its workers.

A worker started again under the same `--worker-id` (as scripts/cluster.sh and a supervisor
start them) beats at once under that id, so its dead predecessor's task would look taken by a
live worker for ever: before it takes anything, a starting worker takes back the tasks still
running under its own id (`tasks_recover_left_by`), since it runs none yet. Ids must be unique
across the workers, as django-tasks-db requires.

Times are the database's (`Now()`), so the servers' clocks need not agree: the heartbeats, and a
task's `started_at`, which django-tasks-db stamps with the worker's clock when it claims the
task and our worker stamps again with the database's before it runs it.

The tasks of this project may run again safely: rendering a published version or a draft PDF
starts again from the data, replaces what a dead worker left half done, and marks the version
done once (reporting/versions.py, reporting/drafts.py).
"""

import logging
import os
import socket
import threading
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models.functions import Now
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

#: How many workers may take a task before it is given up as what kills them.
TASK_MAX_ATTEMPTS = 3
#: Heartbeats of workers gone for longer than this are removed.
FORGET_WORKERS_AFTER = timedelta(days=1)


class WorkerLost(Exception):
    """Recorded on a task given up after TASK_MAX_ATTEMPTS workers died running it."""


def lease() -> timedelta:
    return timedelta(seconds=settings.TASK_WORKER_LEASE_SECONDS)


def heartbeat_beat(worker_id: str) -> None:
    """This worker is alive now (its row is created at the first beat)."""
    if not WorkerHeartbeat.objects.filter(worker_id=worker_id).update(beat_at=Now()):
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            host=socket.gethostname()[:255],
            pid=os.getpid(),
            started_at=Now(),
            beat_at=Now(),
        )


def heartbeat_start(worker_id: str) -> None:
    """A worker process starts under `worker_id` (perhaps the one of a process that died)."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": Now(),
            "beat_at": Now(),
        },
    )


def heartbeat_stop(worker_id: str) -> None:
    """A worker that stops cleanly says so: it runs nothing any more."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def tasks_recover_abandoned() -> dict[str, list[str]]:
    """Tasks running under a worker silent for a whole lease: made ready again for another
    worker, or failed after TASK_MAX_ATTEMPTS workers. Several workers may call this at once:
    each task is handled by one (rows locked, skipping those another is handling)."""
    recovered: dict[str, list[str]] = {"ready": [], "failed": []}
    with transaction.atomic():
        since = Now() - lease()
        alive = set(
            WorkerHeartbeat.objects.filter(beat_at__gte=since).values_list("worker_id", flat=True)
        )
        running = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status=TaskResultStatus.RUNNING, started_at__lt=since
        )
        for task in running:
            if task.worker_ids and task.worker_ids[-1] in alive:
                continue
            _take_back(task, recovered)
        WorkerHeartbeat.objects.filter(beat_at__lt=Now() - FORGET_WORKERS_AFTER).delete()
    return recovered


def tasks_recover_left_by(worker_id: str) -> dict[str, list[str]]:
    """For a worker starting under `worker_id`, before it takes a task: the tasks still running
    under that id were left by a process that died with it (this one runs none yet). Made ready
    again, or failed after TASK_MAX_ATTEMPTS workers, at once: no lease to wait for."""
    recovered: dict[str, list[str]] = {"ready": [], "failed": []}
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status=TaskResultStatus.RUNNING
        )
        for task in running:
            if task.worker_ids and task.worker_ids[-1] == worker_id:
                _take_back(task, recovered)
    return recovered


# "DBTaskResult[..., Any]": a task of any signature and result (quoted: django-tasks-db's
# model is generic for type checkers only).
def _take_back(task: "DBTaskResult[..., Any]", recovered: dict[str, list[str]]) -> None:
    """A task whose worker died: ready again, or failed after TASK_MAX_ATTEMPTS workers."""
    if len(task.worker_ids) >= TASK_MAX_ATTEMPTS:
        task.set_failed(
            WorkerLost(
                f"{len(task.worker_ids)} workers stopped while running this task "
                f"({', '.join(task.worker_ids)}): given up."
            )
        )
        recovered["failed"].append(str(task.pk))
        logger.error("Task %s given up: its workers kept dying", task.pk)
        return
    task.status = TaskResultStatus.READY
    task.started_at = None
    task.save(update_fields=["status", "started_at"])
    recovered["ready"].append(str(task.pk))
    logger.warning(
        "Task %s was running under worker %s, which died: ready again",
        task.pk,
        task.worker_ids[-1] if task.worker_ids else "?",
    )


def task_started_now(task: "DBTaskResult[..., Any]") -> None:
    """The task's `started_at` by the database's clock (django-tasks-db's claim wrote the
    worker's), which the lease is measured against."""
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=Now())
    task.refresh_from_db(fields=["started_at"])


class Heartbeat(threading.Thread):
    """Beats for `worker_id` and recovers abandoned tasks, every quarter of the lease, beside
    the worker's loop (its own database connection: Django's are per thread)."""

    def __init__(self, worker_id: str):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.every = settings.TASK_WORKER_LEASE_SECONDS / 4
        self._stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self._stopped.wait(self.every):
                self.beat()
        finally:
            connection.close()

    def beat(self) -> None:
        try:
            close_old_connections()
            heartbeat_beat(self.worker_id)
            tasks_recover_abandoned()
        except Exception:  # the database away for a moment: beat again next time
            logger.exception("Task worker %s could not beat", self.worker_id)
            connection.close()

    def stop(self) -> None:
        self._stopped.set()
        self.join(timeout=self.every + 5)
