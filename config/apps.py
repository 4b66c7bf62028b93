"""French names for the admin sections of the third-party apps (INSTALLED_APPS lists these),
and the admin site with the login brake (core/admin_site.py).

The administrators are superusers: they see every section of the admin, so each one needs a
name they can read. django-axes and django-tasks-db name their section in English only ("Axes",
"Tasks Database Backend"); Django's own apps (auth) are translated by Django.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_tasks_db.apps import TasksAppConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "core.admin_site.AdminSite"


class LoginSecurityConfig(AxesAppConfig):
    verbose_name = _("Login security")


class BackgroundTasksConfig(TasksAppConfig):
    verbose_name = _("Background tasks")


# django-tasks-db marks these for translation but ships no catalogue: they are translated in
# ours (locale/). Named here so that makemessages finds them and keeps them there.
TASK_RESULT_STRINGS = (
    _("Task Result"),
    _("Task Results"),
    _("enqueued at"),
    _("started at"),
    _("finished at"),
    _("priority"),
    _("queue name"),
    _("args kwargs"),
    _("task path"),
    _("worker id"),
    _("backend name"),
    _("return value"),
    _("exception class path"),
    pgettext_lazy("Task", "Ready"),
    pgettext_lazy("Task", "Running"),
    pgettext_lazy("Task", "Failed"),
    pgettext_lazy("Task", "Successful"),
)
