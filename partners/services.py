"""Writes to users' profiles and to the roles organisations play in a partnership: who may,
validation, one transaction, one history row (core/history.py) naming the author."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from core.history import set_author

from . import roles
from .models import PartnershipRole, Profile


def _require_administrator(author) -> None:
    if not roles.is_administrator(author):
        raise PermissionDenied(_("Only administrators change roles and profiles."))


def profile_save(*, profile: Profile, author) -> Profile:
    """A user's role and territory (a new profile or a change)."""
    _require_administrator(author)
    with transaction.atomic():
        profile.full_clean()
        set_author(profile, author)
        profile.save()
    return profile


def partnership_role_save(*, role: PartnershipRole, author) -> PartnershipRole:
    _require_administrator(author)
    with transaction.atomic():
        role.full_clean()
        set_author(role, author)
        role.save()
    return role


def partnership_role_delete(*, role: PartnershipRole, author) -> None:
    _require_administrator(author)
    with transaction.atomic():
        set_author(role, author)
        role.delete()
