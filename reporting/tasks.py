"""Background rendering of published restitutions and of draft PDFs.

Django 6 has the tasks framework built in (`django.tasks`); on Django 5.2 the django-tasks
backport provides the same API. The database backend (django-tasks-db) works with both: run
`python manage.py db_worker` beside the site."""

try:  # Django 6.0+
    from django.tasks import task

    IMMEDIATE_BACKEND = "django.tasks.backends.immediate.ImmediateBackend"
except ImportError:  # Django 5.2
    from django_tasks import task

    IMMEDIATE_BACKEND = "django_tasks.backends.immediate.ImmediateBackend"


@task()
def render_restitution_version(version_id: int) -> None:
    from .models import RestitutionVersion
    from .versions import restitution_version_render

    restitution_version_render(version=RestitutionVersion.objects.get(pk=version_id))


@task()
def render_draft_pdf(rendering_id: int) -> None:
    from .drafts import draft_rendering_render

    draft_rendering_render(rendering_id=rendering_id)
