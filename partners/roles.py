"""Who a user is on the platform: one place that views and templates both ask."""

from .models import Profile, Territory


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
