"""Who may do what with exchanges: the one place that views, services and templates ask.

Each `can_*` answers yes or no; each `why_not_*` gives the translated sentence that the
403 page shows when the answer is no.
"""

from django.utils.translation import gettext as _

from partners.models import Territory
from partners.roles import (
    is_administrator,
    is_member,
    is_officer,
    reaches_partnership,
    territory_of,
)

from .models import Exchange


def can_view_exchanges(user) -> bool:
    """Officers, elected officials and administrators read every exchange."""
    return is_member(user)


def can_create_exchange(user) -> bool:
    return is_administrator(user) or (is_officer(user) and territory_of(user) is not None)


def can_host(user, territory: Territory | None) -> bool:
    """Whether `territory` is the user's own (administrators: any): an officer adds the
    establishments of their own territory."""
    if territory is None:
        return False
    if is_administrator(user):
        return True
    own = territory_of(user)
    return is_officer(user) and own is not None and own.pk == territory.pk


def takes_part(user, host_id: int | None, visiting_id: int | None) -> bool:
    """The officer's territory is the exchange's host or its visiting delegation."""
    own = territory_of(user)
    return is_officer(user) and own is not None and own.pk in {host_id, visiting_id}


def can_log_exchange(user, host: Territory | None, visiting: Territory | None) -> bool:
    """Either side logs an exchange it takes part in: the host territory's officers, or the
    officers of the delegation that travelled (a Savoie mission to Bignona is logged from
    Chambéry as well as from Bignona). Administrators log any."""
    if host is None:
        return False
    if is_administrator(user):
        return True
    return takes_part(user, host.pk, visiting.pk if visiting else None)


def can_edit_exchange(user, exchange: Exchange) -> bool:
    """Either side that took part (host or delegation) changes and deletes it; each side
    still writes only its own cross view (`can_write_cross_view`)."""
    if is_administrator(user):
        return True
    return takes_part(user, exchange.host_territory_id, exchange.visiting_territory_id)


def can_write_cross_view(user, exchange: Exchange, territory: Territory) -> bool:
    """Each territory writes its own side of the cross view, never the other's. The territory
    must take part in the exchange's partnership (the caller checks that against the
    partnership's territories it already has, to spare a query)."""
    if is_administrator(user):
        return True
    own = territory_of(user)
    return is_officer(user) and own is not None and own.pk == territory.pk


def can_add_attachment(user, exchange: Exchange) -> bool:
    """Both delegations take photos: any officer of the partnership may add them."""
    return is_administrator(user) or (is_officer(user) and territory_of(user) is not None)


def can_delete_attachment(user, attachment) -> bool:
    return can_edit_exchange(user, attachment.exchange) or (
        is_officer(user) and attachment.uploaded_by_id == user.pk
    )


def why_not_view() -> str:
    return _(
        "Your account has no role on the platform yet, so it cannot read the exchanges. "
        "Ask an administrator to give you one."
    )


def why_not_create() -> str:
    return _("Only project officers log exchanges. Your account can read them but not add any.")


def why_not_edit(exchange: Exchange) -> str:
    if (
        exchange.visiting_territory_id
        and exchange.visiting_territory_id != exchange.host_territory_id
    ):
        return _(
            "Only the project officers of %(host)s, which hosted this exchange, and of "
            "%(visiting)s, whose delegation travelled, can change it. You can still write your "
            "own territory's cross view on it."
        ) % {"host": exchange.host_territory.name, "visiting": exchange.visiting_territory.name}
    return _(
        "Only the project officers of %(host)s, the territory that hosted this exchange, can "
        "change it. You can still write your own territory's cross view on it."
    ) % {"host": exchange.host_territory.name}


def why_not_write_cross_view(user, territory: Territory) -> str:
    own = territory_of(user)
    if is_officer(user) and own is not None:
        return _(
            "You write the cross view of %(own)s. Only the officers of %(other)s write what "
            "%(other)s takes away from this exchange."
        ) % {"own": own.name, "other": territory.name}
    return _("Only project officers write the cross views.")


def why_not_host(territory: Territory) -> str:
    return _(
        "You add the establishments of your own territory. Those of %(territory)s are added by "
        "its officers."
    ) % {"territory": territory.name}


def why_not_log(user) -> str:
    own = territory_of(user)
    if own is not None:
        return _(
            "You log the exchanges %(own)s takes part in: choose %(own)s as the host territory "
            "or as the visiting delegation's territory."
        ) % {"own": own.name}
    return why_not_create()


def why_not_to_write() -> str:
    return _("Only project officers write the cross views.")


def why_not_restore() -> str:
    return _("Only administrators bring back a deleted exchange.")


def why_not_delete_establishment() -> str:
    return _("Only administrators remove an establishment from the list.")


def why_not_add_attachment() -> str:
    return _("Only project officers add photos and documents.")


def why_not_delete_attachment() -> str:
    return _(
        "Only the person who added this file, or the officers of the host territory, can remove it."
    )


def can_reach_partnership(user, partnership_id: int) -> bool:
    """Each partnership's exchanges, with their cross views and files, are its members' only
    (the officers and elected officials of its territories) and the administrators'. Pages
    read them through `selectors.visible_exchanges` and `visible_attachments`, which apply the
    same rule (`partners.roles.in_partnerships_of`), so that another partnership's exchange is
    not found, like a guessed id; the services check it again before any write."""
    return is_member(user) and reaches_partnership(user, partnership_id)


def why_not_partnership() -> str:
    return _(
        "Your account is not tied to a territory of a partnership, so it cannot read the "
        "exchanges. Ask an administrator to set your territory."
    )


def why_not_reach() -> str:
    return _("This exchange belongs to a partnership your territory does not take part in.")
