"""A worker started again under the same `--worker-id` (as scripts/cluster.sh and a supervisor
start them) takes back the task its dead predecessor was running, instead of leaving it running
for ever behind its own heartbeat; a task's `started_at` is the database's time, like the
lease it is measured against."""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.workers import TASK_MAX_ATTEMPTS, heartbeat_beat
from tests.drill_tasks import note_each_attempt

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
WORKER = "cluster-worker-1"


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS
    settings.TASK_WORKER_LEASE_SECONDS = 60


def run_worker(*options: str) -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", *options, verbosity=0)


def left_running_by(worker_id: str, folder: Path, *, earlier_workers=()) -> DBTaskResult:
    """The task as a worker killed while running it left it, its heartbeat fresh."""
    (folder / "attempt-1").touch()  # the killed attempt: the next one finishes
    task = DBTaskResult.objects.get(pk=note_each_attempt.enqueue(folder=str(folder)).id)
    for earlier in earlier_workers:
        task.claim(earlier)
    task.claim(worker_id)
    heartbeat_beat(worker_id)  # it was beating until it was killed a moment ago
    return task


def test_a_worker_started_again_under_its_id_finishes_the_task_it_was_killed_in(
    database_tasks, tmp_path
):
    task = left_running_by(WORKER, tmp_path)

    run_worker("--worker-id", WORKER)

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.worker_ids == [WORKER, WORKER]
    assert task.return_value == 2


def test_a_task_its_workers_keep_dying_in_is_given_up_at_the_restart(database_tasks, tmp_path):
    earlier = [f"worker-{n}" for n in range(TASK_MAX_ATTEMPTS - 1)]
    task = left_running_by(WORKER, tmp_path, earlier_workers=earlier)

    run_worker("--worker-id", WORKER)

    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "core.workers.WorkerLost"


def test_another_workers_task_is_left_to_it(database_tasks, tmp_path):
    task = left_running_by("cluster-worker-2", tmp_path)

    run_worker("--worker-id", WORKER)

    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


class SlowClock:
    """A worker machine whose clock is two hours behind the database's."""

    @staticmethod
    def now():
        return timezone.now() - datetime.timedelta(hours=2)


def test_a_task_starts_at_the_databases_time_not_the_workers(database_tasks, tmp_path, monkeypatch):
    (tmp_path / "attempt-1").touch()
    result = note_each_attempt.enqueue(folder=str(tmp_path))
    monkeypatch.setattr("django_tasks_db.models.timezone", SlowClock)

    run_worker("--worker-id", WORKER)

    task = DBTaskResult.objects.get(pk=result.id)
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert abs(task.started_at - timezone.now()) < datetime.timedelta(minutes=1)


def wait_for(path: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if time.monotonic() > deadline:
            pytest.fail(f"{path.name} did not appear within {seconds} s")
        time.sleep(0.2)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="other processes cannot see the test's SQLite"
)
def test_drill_a_worker_killed_mid_task_and_started_again_under_its_id(database_tasks, tmp_path):
    """The real thing: worker processes, a SIGKILL in the middle of a task (.ci/run)."""
    result = note_each_attempt.enqueue(folder=str(tmp_path))
    database = connection.settings_dict
    environment = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CACHE_URL": "dummy://",
        "TASK_WORKER_LEASE_SECONDS": "60",
    }
    if database.get("PASSWORD"):
        environment["PGPASSWORD"] = database["PASSWORD"]
    command = [sys.executable, "manage.py", "db_worker", "--worker-id", WORKER]
    command += ["--no-startup-delay", "--no-reload", "--interval", "0.2"]
    worker = subprocess.Popen(command, cwd=django_settings.BASE_DIR, env=environment)
    try:
        wait_for(tmp_path / "attempt-1", seconds=90)
    finally:
        worker.send_signal(signal.SIGKILL)  # in the middle of the task
        worker.wait()
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING

    subprocess.run(
        [*command, "--batch"],
        cwd=django_settings.BASE_DIR,
        env=environment,
        timeout=120,
        check=True,
    )

    task = DBTaskResult.objects.get(pk=result.id)
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.worker_ids == [WORKER, WORKER]
    assert (tmp_path / "attempt-2").exists()
