"""Reads about partnerships shared by several pages."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Exists, OuterRef

from .models import Partnership, PartnershipRole, Territory
from .roles import in_partnerships_of, is_member, reaches_all_partnerships


def default_partnership() -> Partnership | None:
    """The partnership the interface centres on: the first one created (Savoie–Bignona)."""
    return Partnership.objects.order_by("pk").first()


def partnership_of(user: User | AnonymousUser) -> Partnership | None:
    """The partnership a user's pages centre on: the oldest of the partnerships their territory
    takes part in (the default one for administrators and anonymous visitors); None for a
    member who reaches none. One query, as `default_partnership`."""
    if not is_member(user) or reaches_all_partnerships(user):
        return default_partnership()
    partnerships = in_partnerships_of(user, Partnership.objects.order_by("pk"), path="")
    first: Partnership | None = partnerships.first()
    return first


def partnership_territories(partnership: Partnership) -> list[Territory]:
    """The partnership's territories, the carrier's own first (Savoie | Bignona, as in the
    source document's paired table)."""
    carrier = PartnershipRole.objects.filter(
        partnership=partnership,
        role=PartnershipRole.Role.CARRIER,
        organisation__territory=OuterRef("pk"),
    )
    # One query; `carries` is an annotation, which no model type declares.
    territories: Iterable[Any] = partnership.territories.annotate(carries=Exists(carrier))
    return sorted(territories, key=lambda t: (not t.carries, t.name))


def partnership_roles(partnership: Partnership) -> list[PartnershipRole]:
    return list(partnership.roles.select_related("organisation__territory"))


def territory_cache_scope(territory_id: int) -> str:
    """The scope (core/caching.py) of what is kept for a territory across its partnerships: its
    officers' count of cross views to write."""
    return f"territory:{territory_id}"
