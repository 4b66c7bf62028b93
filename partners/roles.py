"""Who a user is on the platform: one place that views and templates both ask."""

from typing import TypeVar

from django.db.models import Model, QuerySet

from .models import Profile, Territory

_M = TypeVar("_M", bound=Model)


def role_of(user) -> str | None:
    """The user's platform role; superusers are administrators even without a profile."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Profile.Role.ADMINISTRATOR
    profile = getattr(user, "profile", None)
    return profile.role if profile else None


def territory_of(user) -> Territory | None:
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return profile.territory if profile else None


def is_officer(user) -> bool:
    return role_of(user) == Profile.Role.OFFICER


def is_administrator(user) -> bool:
    return role_of(user) == Profile.Role.ADMINISTRATOR


def is_member(user) -> bool:
    """Anyone with a role: officers, elected officials and administrators."""
    return role_of(user) is not None


# --- Which partnerships a user reaches: the rule every page, file and action is scoped by ----


def reaches_all_partnerships(user) -> bool:
    """Administrators run the platform: they reach every partnership hosted on it."""
    return is_administrator(user)


def in_partnerships_of(user, queryset: QuerySet[_M], path: str = "partnership") -> QuerySet[_M]:
    """`queryset` narrowed to the rows of the user's partnerships (those their territory takes
    part in), `path` leading from its model to the partnership ("" for partnerships).
    Everything for administrators, nothing for anonymous visitors or a member without a
    territory. A join, not a query of its own: pages pay nothing for it."""
    if reaches_all_partnerships(user):
        return queryset
    own = territory_of(user)
    if not is_member(user) or own is None:
        return queryset.none()
    return queryset.filter(**{f"{path}__territories" if path else "territories": own.pk})


def reaches_partnership(user, partnership_id: int) -> bool:
    """For a write on an object already read: whether it belongs to one of the user's
    partnerships. One query the first time for a given user object, none after."""
    if reaches_all_partnerships(user):
        return True
    cached = getattr(user, "_partnership_ids", None)
    if cached is None:
        own = territory_of(user)
        cached = (
            set(own.partnerships.values_list("pk", flat=True))
            if is_member(user) and own is not None
            else set()
        )
        user._partnership_ids = cached
    return partnership_id in cached
