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


class OutgoingEmail(models.Model):
    """One e-mail to one person, kept until it has left: written by whoever has something to
    say (core/emails.py `email_queue`), sent by its own task in the worker, tried again with a
    growing delay when the server refuses it, and shown to administrators (pending, sent,
    failed: with the server's answer) who may send a failed one again."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("e-mail", "Waiting to be sent")
        SENT = "sent", pgettext_lazy("e-mail", "Sent")
        FAILED = "failed", pgettext_lazy("e-mail", "Not sent")

    to = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=500)
    body = models.TextField(_("message"))
    # What it is about (a notice of an exchange's version to an officer): the same notice is
    # never written twice when the task that writes it runs again.
    key = models.CharField(max_length=200, unique=True, null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
