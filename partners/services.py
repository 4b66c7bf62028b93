"""Writes to users' profiles and to the roles organisations play in a partnership: who may,
validation, one transaction, one history row (core/history.py) naming the author."""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from core.accounts import send_invitation
from core.caching import forget
from core.history import set_author
from core.models import OutgoingEmail

from . import roles
from .models import PartnershipRole, Profile, SpecificObjective
from .selectors import territory_cache_scope


def _require_administrator(author: User) -> None:
    if not roles.is_administrator(author):
        raise PermissionDenied(_("Only administrators change roles and profiles."))


def profile_save(*, profile: Profile, author: User) -> Profile:
    """A user's role and territory (a new profile or a change)."""
    _require_administrator(author)
    with transaction.atomic():
        profile.full_clean()
        set_author(profile, author)
        profile.save()
    return profile


def profile_delete(*, profile: Profile, author: User) -> None:
    """A profile removed in the admin: the user keeps their account but loses their role."""
    _require_administrator(author)
    with transaction.atomic():
        set_author(profile, author)
        profile.delete()


def partnership_role_save(*, role: PartnershipRole, author: User) -> PartnershipRole:
    _require_administrator(author)
    with transaction.atomic():
        role.full_clean()
        set_author(role, author)
        role.save()
    return role


def partnership_role_delete(*, role: PartnershipRole, author: User) -> None:
    _require_administrator(author)
    with transaction.atomic():
        set_author(role, author)
        role.delete()


def specific_objective_save(*, objective: SpecificObjective, author: User) -> SpecificObjective:
    """A territory's specific objective in the partnership (the restitution's results chapter
    is set against it)."""
    _require_administrator(author)
    with transaction.atomic():
        objective.full_clean()
        set_author(objective, author)
        objective.save()
    return objective


def specific_objective_delete(*, objective: SpecificObjective, author: User) -> None:
    _require_administrator(author)
    with transaction.atomic():
        set_author(objective, author)
        objective.delete()


def partnership_members_changed(*, territory_ids: Iterable[int]) -> None:
    """Territories joined or left a partnership: besides who reaches what (roles.py), what was
    counted for each of them across its partnerships (the cross views its officers have to
    write, shown on every page) is out of date (core/caching.py: now and once the transaction
    commits)."""
    forget(territory_cache_scope(pk) for pk in territory_ids)


def user_invite(*, user: User, author: User, base_url: str) -> OutgoingEmail | None:
    """Email `user` a link to choose their password, in their profile's language (sent by the
    task worker); returns the e-mail kept, which says whether it has left. None, and nothing
    sent, for an account without an email address or inactive."""
    _require_administrator(author)
    if not user.email or not user.is_active:
        return None
    profile = getattr(user, "profile", None)
    return send_invitation(
        user,
        base_url=base_url,
        language=profile.language if profile else "fr",
        invited_by=author.get_full_name() or author.get_username(),
    )
