"""Illustrative rows: facts invented for a demonstration or an example (the demo's exchanges,
their dates and head counts, its lines of action, a funding line's status), which every page
and every edition marks at the item, in the reader's language (`{% illustrative obj %}`,
core/templatetags/illustrative.py), so that nobody takes them for what the partners reported."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def illustrative_field() -> models.BooleanField[bool, bool]:
    return models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_(
            "Invented for a demonstration or an example, not reported by the partners: every "
            "page and every edition of the restitution marks it so."
        ),
    )
