"""One way through a write view. A view that saves says only its form(s), its service and its
template (a `Submission`); `submit` does the rest, the same for every form:

- an outbox item sent under another account's session is refused (exchanges/answers.py);
- an earlier sending with the same key (a double click, an outbox's retry) gets the first
  result, and the same key sent by another form is refused with a message next to the form
  (exchanges/submissions.py);
- the forms are checked, the service is called;
- "already saved", an edit conflict (the page with both versions, or the outbox's JSON; looked
  up again as an earlier sending first: two sends of one edit at the same moment are one) and
  validation errors (next to the fields, or the outbox's JSON) are answered;
- once saved, the form's browser draft can go (drafts.js is told on the next page)."""

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import answers
from .conflicts import Conflict
from .services import EditConflict
from .submissions import (
    AlreadySaved,
    KeyReused,
    earlier,
    parse_key,
    previous_submission,
)

SAVED_DRAFTS = "exchanges_saved_drafts"  # session key: forms whose browser draft can go


@dataclass(frozen=True)
class Saved:
    """What a service saved, as the answer names it."""

    exchange_id: int
    object_id: int
    message: str


@dataclass
class Submission:
    """What a write view says. `forms`: the page's form first (the template's `form`), then
    any other form posted with it. `kind` and `target` bind the submission key to this form
    (exchanges/submissions.py). `save(key)` calls the service with the forms' cleaned data
    and says what it saved. `reopen(current)`, for forms that meet edit conflicts: the
    conflict and the form to show again, based on `current`."""

    forms: Sequence[forms.BaseForm | None]
    kind: str
    target: str
    save: Callable[[uuid.UUID | None], Saved]
    reopen: Callable[[Any], tuple[Conflict, forms.BaseForm]] | None = None


def saved_drafts(request) -> list[str]:
    """The forms saved since the last page, for drafts.js to forget (once)."""
    return request.session.pop(SAVED_DRAFTS, [])


def draft_saved(request) -> None:
    """The form at this address reached the server and was saved: its browser draft can go
    (the next page tells drafts.js so)."""
    saved = request.session.get(SAVED_DRAFTS, [])
    request.session[SAVED_DRAFTS] = [*saved, request.path][-5:]


def key_reused_message() -> str:
    return _(
        "This form was sent with the key of another form already saved, so nothing was saved. "
        "What you typed is kept below: check it and save again."
    )


def submit(request, submission: Submission, template: str, context: dict) -> HttpResponse:
    """The answer to a write view's request: its page (`template`, with `context` and the
    form), or what a sending gets back (exchanges/answers.py)."""
    form = submission.forms[0]
    conflict = None
    if request.method == "POST":
        answer, form, conflict = _post(request, submission)
        if answer is not None:
            return answer
    context = {**context, "form": form, "conflict": conflict, "saved_drafts": saved_drafts(request)}
    return render(request, template, context)


def _post(request, submission: Submission):
    """(the answer, or None to show the page again with `form` and `conflict`)."""
    if reason := answers.refusal_to_save_from_outbox(request):
        return answers.other_account(reason), None, None
    form = submission.forms[0]
    posted = [f for f in submission.forms if f is not None]
    key = parse_key(request.POST.get("submission_key"))
    valid = all([f.is_valid() for f in posted])  # every form checked: all their errors shown
    conflict = None
    if previous := previous_submission(key, request.user):
        error = earlier(previous, kind=submission.kind, target=submission.target)
    elif not valid:
        error = None
    else:
        try:
            saved = submission.save(key)
        except (AlreadySaved, KeyReused) as raised:
            error = raised
        except EditConflict as raised:
            if raised.current is None:
                raise Http404 from None
            # Two sends of the same edit at the same moment: the second one met the first's
            # save as a conflict. It is the same sending: "already saved", never "conflict".
            previous = previous_submission(key, request.user)
            if previous is not None:
                error = earlier(previous, kind=submission.kind, target=submission.target)
            elif answers.from_outbox(request):
                return answers.conflict(), form, None
            else:
                if submission.reopen is None:  # only versioned forms meet conflicts
                    raise
                conflict, form = submission.reopen(raised.current)
                error = None
        except ValidationError as raised:
            form.add_error(None, raised)
            error = None
        else:
            draft_saved(request)
            answer = answers.saved(
                request,
                exchange_id=saved.exchange_id,
                object_id=saved.object_id,
                message=saved.message,
            )
            return answer, form, None
    if isinstance(error, AlreadySaved):
        return answers.already_saved(request, error.previous), form, None
    if isinstance(error, KeyReused):
        form.add_error(None, key_reused_message())
        _draw_a_new_key(form)
    if answers.from_outbox(request):
        return answers.refused(*submission.forms), form, None
    return None, form, conflict


def _draw_a_new_key(form: forms.BaseForm) -> None:
    """The form shown again carries a key of its own: saving it again is a new sending."""
    data = form.data.copy()
    data["submission_key"] = str(uuid.uuid4())
    form.data = data
