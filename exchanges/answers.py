"""What a form's sending gets back, as a page for a person or as JSON for a phone's outbox
(static/js/outbox.js sends each item with `X-Outbox: 1` and reads the state it is in: sent,
refused with the reasons, or in conflict). A sending whose key was saved before gets the same
answer as the first time, and nothing is saved again (exchanges/submissions.py)."""

import functools
import operator

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import SubmissionKey

OUTBOX_HEADER = "X-Outbox"
#: Sent with the item a person just saved from a form, whose page the outbox then opens.
OUTBOX_SHOWN_HEADER = "X-Outbox-Shown"
#: The id of the account that put the item in the outbox: it is saved under that account only.
OUTBOX_AUTHOR_HEADER = "X-Outbox-Author"


def from_outbox(request) -> bool:
    return request.headers.get(OUTBOX_HEADER) == "1"


def refusal_to_save_from_outbox(request) -> str | None:
    """An outbox item is only saved by the session of the account that made it (on a shared
    phone, another officer may be logged in when it is sent): the refusal, or None."""
    if not from_outbox(request):
        return None
    if request.headers.get(OUTBOX_AUTHOR_HEADER, "") == str(request.user.pk):
        return None
    return _(
        "This item was made on this device under another account. It was not saved: it "
        "will be sent when its author logs in again."
    )


def other_account(reason: str) -> JsonResponse:
    """The outbox keeps the item, waiting for its author's session."""
    return JsonResponse({"state": "account", "message": reason}, status=403)


def saved(request, *, exchange_id: int, message: str, object_id: int | None = None):
    url = reverse("exchange_detail", args=[exchange_id])
    if not from_outbox(request):
        messages.success(request, message)
        return redirect(url)
    if request.headers.get(OUTBOX_SHOWN_HEADER):
        # Just saved from its form: the outbox opens its page, where the message is shown.
        # Sent in the background, an item gets no message on some later page.
        messages.success(request, message)
    return JsonResponse({"state": "sent", "url": url, "exchange": exchange_id, "object": object_id})


def already_saved(request, previous: SubmissionKey):
    """A double click, or a retry after the first answer was lost: the first result."""
    return saved(
        request,
        exchange_id=previous.exchange_id,
        object_id=previous.object_id,
        message=_("This was already saved, once: here it is."),
    )


def refused(*forms) -> JsonResponse:
    """The reasons, field by field, as the form's page would show them next to each field."""
    errors: dict[str, list[str]] = {}
    for form in forms:
        if form is None:
            continue
        for name, field_errors in form.errors.items():
            key = form.add_prefix(name) if name != "__all__" else name
            errors.setdefault(key, []).extend(str(error) for error in field_errors)
    return JsonResponse(
        {
            "state": "refused",
            "errors": errors,
            "message": " ".join(functools.reduce(operator.iadd, errors.values(), [])),
        },
        status=422,
    )


def conflict() -> HttpResponse:
    """Someone saved meanwhile: the outbox opens the conflict page, which shows both versions."""
    return JsonResponse({"state": "conflict"}, status=409)
