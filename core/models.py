"""The few rows no part of the domain owns."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class WorkerHeartbeat(models.Model):
    """A task worker (`manage.py db_worker`) saying it is alive, every quarter of
    TASK_WORKER_LEASE_SECONDS. A task still running under a worker that has not said so for a
    whole lease was left by a worker that died (killed, its machine gone): another worker takes
    it again (core/workers.py)."""

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    host = models.CharField(pgettext_lazy("machine", "host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"))
    beat_at = models.DateTimeField(_("last seen at"), db_index=True)

    class Meta:
        ordering = ["-beat_at"]
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self) -> str:
        return f"{self.host}:{self.pid} ({self.worker_id})"
