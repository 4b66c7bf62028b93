"""Publishing does not block the request: the editions are rendered by a background task
(django-tasks), and the page shows how far it is."""

import pytest
from django.core.management import call_command

from reporting.models import RestitutionVersion
from reporting.services import restitution_publish
from reporting.versions import render_restitution_version
from tests.reporting_factories import DUMMY_TASKS, RestitutionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_publishing")]


@pytest.fixture
def queued(settings, partnership, administrator):
    """A publication whose task is enqueued and not run yet."""
    settings.TASKS = DUMMY_TASKS
    restitution = RestitutionFactory(partnership=partnership)
    return restitution_publish(restitution=restitution, user=administrator)


def test_publishing_enqueues_the_rendering_and_returns_at_once(client, administrator, queued):
    assert queued.status == RestitutionVersion.Status.PENDING
    assert queued.task_id
    assert not queued.files.exists()

    client.force_login(administrator)
    page = client.get("/fr/restitutions/2016/versions/").content.decode()

    assert '<meta http-equiv="refresh" content="3">' in page
    assert '<progress max="100" value="0">' in page


def test_elected_officials_wait_for_the_rendering_to_finish(client, elected_official, queued):
    client.force_login(elected_official)

    assert client.get("/fr/restitutions/2016/").status_code == 403


def test_the_task_renders_every_edition_and_reports_progress(client, elected_official, queued):
    render_restitution_version.call(queued.pk)

    queued.refresh_from_db()
    assert (queued.status, queued.progress) == (RestitutionVersion.Status.DONE, 100)
    assert queued.render_seconds is not None
    assert sorted(queued.files.values_list("edition", "format")) == [
        ("bilingual", "html"),
        ("bilingual", "pdf"),
        ("en", "html"),
        ("en", "pdf"),
        ("fr", "html"),
        ("fr", "pdf"),
    ]
    client.force_login(elected_official)
    assert client.get("/fr/restitutions/2016/").status_code == 200


# The worker, like any long-running process, closes a connection left outside autocommit:
# the test must commit for real (transaction=True), as the site would before the worker runs.
@pytest.mark.django_db(transaction=True)
def test_the_database_worker_renders_a_publication(settings, partnership, administrator):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    restitution = RestitutionFactory(partnership=partnership)
    version = restitution_publish(restitution=restitution, user=administrator)
    assert version.status == RestitutionVersion.Status.PENDING

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    version.refresh_from_db()
    assert version.status == RestitutionVersion.Status.DONE
    assert version.files.count() == 6


def test_a_failed_rendering_is_told_and_publishing_again_is_possible(
    partnership, administrator, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("no fonts today")

    monkeypatch.setattr("reporting.document.render_edition", broken)
    restitution = RestitutionFactory(partnership=partnership)

    with pytest.raises(RuntimeError):
        restitution_publish(restitution=restitution, user=administrator, background=False)

    failed = RestitutionVersion.objects.get()
    assert failed.status == RestitutionVersion.Status.FAILED
    assert "no fonts today" in failed.error
    monkeypatch.undo()
    again = restitution_publish(restitution=restitution, user=administrator, background=False)
    assert (again.number, again.status) == (2, RestitutionVersion.Status.DONE)
