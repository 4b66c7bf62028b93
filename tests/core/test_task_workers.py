"""Task workers die (killed, out of memory, their machine switched off): a task one of them left
running is taken again by another, and a published version is still published once.
(tests_cluster/ kills a real worker process in the middle of a render.)"""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.models import WorkerHeartbeat
from core.workers import TASK_MAX_ATTEMPTS, heartbeat_beat, tasks_recover_abandoned
from reporting.models import RestitutionFile, RestitutionVersion
from reporting.services import restitution_publish
from reporting.versions import restitution_version_render
from tests.reporting_factories import RestitutionFactory, isolate_publishing

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    isolate_publishing(settings, tmp_path)
    settings.TASK_WORKER_LEASE_SECONDS = 60


@pytest.fixture
def enqueued(settings, partnership, administrator):
    """A publication waiting for a worker."""
    settings.TASKS = DATABASE_TASKS
    restitution = RestitutionFactory(partnership=partnership)
    return restitution_publish(restitution=restitution, user=administrator)


def taken_by(version, worker_id: str, *, seconds_ago: int) -> DBTaskResult:
    """The version's task, as a worker left it when it took it `seconds_ago`."""
    task = DBTaskResult.objects.get(pk=version.task_id)
    task.claim(worker_id)
    DBTaskResult.objects.filter(pk=task.pk).update(
        started_at=timezone.now() - datetime.timedelta(seconds=seconds_ago)
    )
    return task


def run_workers() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_task_left_running_by_a_dead_worker_is_finished_by_another(enqueued):
    task = taken_by(enqueued, "killed-worker", seconds_ago=120)  # no heartbeat since

    recovered = tasks_recover_abandoned()
    run_workers()

    assert recovered == {"ready": [str(task.pk)], "failed": []}
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.worker_ids[0] == "killed-worker"
    assert len(task.worker_ids) == 2
    enqueued.refresh_from_db()
    assert enqueued.status == RestitutionVersion.Status.DONE
    assert enqueued.files.count() == 6
    assert not WorkerHeartbeat.objects.exists()  # the worker that stopped cleanly said so


@pytest.mark.django_db(transaction=True)
def test_a_task_of_a_worker_that_still_beats_is_left_to_it(enqueued):
    task = taken_by(enqueued, "busy-worker", seconds_ago=600)  # a long rendering
    heartbeat_beat("busy-worker")

    assert tasks_recover_abandoned() == {"ready": [], "failed": []}
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


@pytest.mark.django_db(transaction=True)
def test_a_task_just_taken_is_not_taken_back_before_a_whole_lease(enqueued):
    task = taken_by(enqueued, "new-worker", seconds_ago=5)

    assert tasks_recover_abandoned() == {"ready": [], "failed": []}
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


@pytest.mark.django_db(transaction=True)
def test_a_task_whose_workers_keep_dying_is_given_up(enqueued):
    task = DBTaskResult.objects.get(pk=enqueued.task_id)
    for attempt in range(TASK_MAX_ATTEMPTS - 1):
        task = taken_by(enqueued, f"worker-{attempt}", seconds_ago=120)
        assert tasks_recover_abandoned()["ready"] == [str(task.pk)]
    task = taken_by(enqueued, "worker-last", seconds_ago=120)

    assert tasks_recover_abandoned() == {"ready": [], "failed": [str(task.pk)]}
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "core.workers.WorkerLost"


@pytest.mark.django_db
def test_a_version_already_published_is_not_rendered_again(partnership, administrator):
    restitution = RestitutionFactory(partnership=partnership)
    version = restitution_publish(restitution=restitution, user=administrator, background=False)
    files = sorted(RestitutionFile.objects.values_list("pk", "file", "sha256"))
    rendered_at = version.rendered_at

    again = restitution_version_render(version=RestitutionVersion.objects.get(pk=version.pk))

    assert again.status == RestitutionVersion.Status.DONE
    assert again.rendered_at == rendered_at
    assert sorted(RestitutionFile.objects.values_list("pk", "file", "sha256")) == files


@pytest.mark.django_db
def test_a_rendering_a_dead_worker_left_half_done_is_finished_with_nothing_left_behind(
    settings, partnership, administrator, media_root
):
    settings.TASKS = DATABASE_TASKS
    restitution = RestitutionFactory(partnership=partnership)
    version = restitution_publish(restitution=restitution, user=administrator)
    # The dead worker stored the stylesheet and the French HTML, and was writing the French PDF
    # when it was killed: the object is there, its row is not.
    restitution_version_render(version=version)
    kept = RestitutionFile.objects.get(edition="fr", format="pdf")
    RestitutionFile.objects.exclude(edition="fr", format="html").exclude(pk=kept.pk).delete()
    kept.delete()
    RestitutionVersion.objects.filter(pk=version.pk).update(
        status=RestitutionVersion.Status.RENDERING, progress=30, rendered_at=None
    )

    restitution_version_render(version=RestitutionVersion.objects.get(pk=version.pk))

    version.refresh_from_db()
    assert (version.status, version.progress) == (RestitutionVersion.Status.DONE, 100)
    named = {f.file.name for f in version.files.all()} | {version.stylesheet.name}
    stored = {
        path.relative_to(media_root).as_posix() for path in media_root.rglob("*") if path.is_file()
    }
    assert len(named) == 7
    assert stored == named


@pytest.mark.django_db(transaction=True)
def test_the_worker_gives_way_to_the_pages(settings, monkeypatch):
    """A render takes a core for a minute: the worker lowers its priority, so members waiting
    for a page are served first."""
    settings.TASKS = DATABASE_TASKS
    settings.TASK_WORKER_NICENESS = 10
    increments = []
    monkeypatch.setattr("os.nice", increments.append)

    run_workers()

    assert increments == [10]
