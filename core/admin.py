"""What administrators watch of the background work: the e-mails the site sends (waiting, sent,
not sent with the server's answer) and the worker's tasks, and the action that tries again
what failed."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks_db.admin import DBTaskResultAdmin  # registers it: replaced below
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .emails import email_retry
from .models import OutgoingEmail
from .tasks import send_outgoing_email


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin[OutgoingEmail]):
    list_display = ["created_at", "to", "subject", "status", "attempts", "next_attempt_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
    readonly_fields = [
        "to",
        "subject",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "body",
    ]
    fields = tuple(readonly_fields)
    actions = ["send_again"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutgoingEmail | None = None) -> bool:
        return False  # read only: what was sent is history; the action sends again

    @admin.action(description=_("Send the selected e-mails that were not sent again"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutgoingEmail]) -> None:
        again = email_retry(emails=queryset.filter(status=OutgoingEmail.Status.FAILED))
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail handed to the task worker again.",
                "%(count)d e-mails handed to the task worker again.",
                again,
            )
            % {"count": again},
            messages.SUCCESS if again else messages.WARNING,
        )


admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    """django-tasks-db's read-only list, with failed tasks run again on demand."""

    actions = ["run_again"]

    @admin.action(description=_("Run the selected failed tasks again"))
    # Any: tasks of any signature and result.
    def run_again(self, request: HttpRequest, queryset: "QuerySet[DBTaskResult[..., Any]]") -> None:
        again = 0
        for result in queryset.filter(status=TaskResultStatus.FAILED):
            args, kwargs = result.args_kwargs["args"], result.args_kwargs["kwargs"]
            if result.task_path == send_outgoing_email.module_path:
                # An e-mail has one task at a time: a refused one may already wait for its
                # next attempt. Only an e-mail marked not sent is sent again.
                email = OutgoingEmail.objects.filter(pk=kwargs.get("email_id"))
                again += email_retry(emails=email)
                continue
            task = import_string(result.task_path)
            task.using(queue_name=result.queue_name, priority=result.priority).enqueue(
                *args, **kwargs
            )
            again += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d task handed to the task worker again.",
                "%(count)d tasks handed to the task worker again.",
                again,
            )
            % {"count": again},
            messages.SUCCESS if again else messages.WARNING,
        )
