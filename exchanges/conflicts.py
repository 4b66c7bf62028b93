"""What the second of two people saving the same version sees: both versions, side by side,
and their own input kept in the form, ready to be saved over the first."""

import datetime
from dataclasses import dataclass

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _

from .models import CrossView, Exchange
from .services import exchange_as_text, exchange_values


@dataclass(frozen=True)
class Conflict:
    message: str
    saved_by: str
    saved_at: datetime.datetime | None
    rows: list[tuple[str, str, str]]  # (field label, the saved value, the value typed here)


def user_name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def saved_by(current: Exchange | CrossView) -> str:
    """Who saved the version `current`, as the conflict messages name them."""
    return user_name(current.updated_by) or _("Someone")


def exchange_conflict_message(who: str) -> str:
    """Said above an exchange's form (the officers' page and the admin) that `who` saved first."""
    return _(
        "%(who)s saved this exchange while you were editing it. What you typed is kept "
        "below and was not saved: compare it with their version, then save again to "
        "replace their version with yours."
    ) % {"who": who}


def cross_view_conflict_message(who: str) -> str:
    """Said above a cross view's form (the officers' page and the admin) that `who` saved
    first."""
    return _(
        "%(who)s saved this cross view while you were writing. What you typed is kept "
        "below and was not saved: compare it with their text, then save again to "
        "replace their text with yours."
    ) % {"who": who}


def exchange_conflict(form: forms.ModelForm, current: Exchange) -> Conflict:
    theirs = exchange_as_text(exchange_values(current))
    yours = exchange_as_text(form.cleaned_data)
    who = saved_by(current)
    return Conflict(
        message=exchange_conflict_message(who),
        saved_by=who,
        saved_at=current.updated_at,
        rows=[
            (str(form.fields[name].label), theirs[name], yours[name])
            for name in theirs
            if theirs[name] != yours[name]
        ],
    )


def cross_view_conflict(form: forms.Form, current: CrossView) -> Conflict:
    who = saved_by(current)
    yours = form.cleaned_data
    return Conflict(
        message=cross_view_conflict_message(who),
        saved_by=who,
        saved_at=current.updated_at,
        rows=[
            (str(form.fields[name].label), getattr(current, name) or "", yours[name])
            for name in ("text_fr", "text_en")
            if (getattr(current, name) or "") != yours[name]
        ],
    )


def reopened(form_class, data: QueryDict, *, version: int, conflict: Conflict, **kwargs):
    """The same form with the input as typed, now based on the version saved meanwhile: saving
    it again is a deliberate choice to replace that version."""
    data = data.copy()
    data["version"] = str(version)
    form = form_class(data, **kwargs)
    form.is_valid()
    form.add_error(None, conflict.message)
    return form
