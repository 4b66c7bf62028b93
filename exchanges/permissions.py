"""Who may do what with exchanges: one function per rule, each returning the refusal (the
translated sentence the 403 page shows) or None when the user may. Views, templates, forms,
the admin and the services all ask these: `core.permissions.require(refusal_to_…(…))` where
a refusal stops the request, `refusal_to_…(…) is None` where a page only shows or hides a
button."""

from django.utils.translation import gettext as _

from partners.models import Partnership, Territory, territory_sentence
from partners.roles import (
    is_administrator,
    is_member,
    is_officer,
    reaches_partnership,
    territory_of,
)

from .models import Attachment, Exchange


def _takes_part(user, host_id: int | None, visiting_id: int | None) -> bool:
    """The officer's territory is the exchange's host or its visiting delegation."""
    own = territory_of(user)
    return is_officer(user) and own is not None and own.pk in {host_id, visiting_id}


def _may_edit_exchange(user, exchange: Exchange) -> bool:
    return is_administrator(user) or _takes_part(
        user, exchange.host_territory_id, exchange.visiting_territory_id
    )


def _officers_only_write_cross_views() -> str:
    return _("Only project officers write the cross views.")


def refusal_to_read_exchanges(user) -> str | None:
    """Officers, elected officials and administrators read every exchange."""
    if is_member(user):
        return None
    return _(
        "Your account has no role on the platform yet, so it cannot read the exchanges. "
        "Ask an administrator to give you one."
    )


def refusal_to_list_exchanges(user, partnership: Partnership | None) -> str | None:
    """The lists, the export and the forms show the user's own partnership's exchanges
    (`partners.selectors.partnership_of`, passed here): a member whose account is not tied to
    a partnership's territory has none to read."""
    if refused := refusal_to_read_exchanges(user):
        return refused
    if partnership is not None:
        return None
    return _(
        "Your account is not tied to a territory of a partnership, so it cannot read the "
        "exchanges. Ask an administrator to set your territory."
    )


def refusal_to_reach_partnership(user, partnership_id: int) -> str | None:
    """Each partnership's exchanges, with their cross views and files, are its members' only
    (the officers and elected officials of its territories) and the administrators'. Pages
    read them through `selectors.visible_exchanges` and `visible_attachments`, which apply the
    same rule (`partners.roles.in_partnerships_of`), so that another partnership's exchange is
    not found, like a guessed id; the services ask this again before any write."""
    if is_member(user) and reaches_partnership(user, partnership_id):
        return None
    return _("This exchange belongs to a partnership your territory does not take part in.")


def refusal_to_create_exchange(user) -> str | None:
    """Officers of a territory, and administrators, log exchanges (and add establishments)."""
    if is_administrator(user) or (is_officer(user) and territory_of(user) is not None):
        return None
    return _("Only project officers log exchanges. Your account can read them but not add any.")


def refusal_to_log_exchange(user, host: Territory | None, visiting: Territory | None) -> str | None:
    """Either side logs an exchange it takes part in: the host territory's officers, or the
    officers of the delegation that travelled (a Savoie mission to Bignona is logged from
    Chambéry as well as from Bignona). Administrators log any. Asked on creation and after
    every change of the two territories."""
    if host is not None and (
        is_administrator(user) or _takes_part(user, host.pk, visiting.pk if visiting else None)
    ):
        return None
    own = territory_of(user)
    if own is not None:
        return territory_sentence(
            _(
                "You log the exchanges %(own)s takes part in: choose %(own)s as the host "
                "territory or as the visiting delegation's territory."
            ),
            own=own,
        )
    return _("Only project officers log exchanges. Your account can read them but not add any.")


def refusal_to_edit_exchange(user, exchange: Exchange) -> str | None:
    """Either side that took part (host or delegation) changes and deletes it; each side
    still writes only its own cross view (`refusal_to_write_cross_view`)."""
    if _may_edit_exchange(user, exchange):
        return None
    if (
        exchange.visiting_territory_id
        and exchange.visiting_territory_id != exchange.host_territory_id
    ):
        return territory_sentence(
            _(
                "Only the project officers of %(host)s, which hosted this exchange, and of "
                "%(visiting)s, whose delegation travelled, can change it. You can still write "
                "your own territory's cross view on it."
            ),
            host=exchange.host_territory,
            visiting=exchange.visiting_territory,
        )
    return territory_sentence(
        _(
            "Only the project officers of %(host)s, the territory that hosted this exchange, "
            "can change it. You can still write your own territory's cross view on it."
        ),
        host=exchange.host_territory,
    )


def refusal_to_restore_exchange(user) -> str | None:
    """A deleted exchange is brought back by an administrator (in the admin)."""
    if is_administrator(user):
        return None
    return _("Only administrators bring back a deleted exchange.")


def refusal_to_write_cross_view(
    user, exchange: Exchange, territory: Territory, *, in_partnership: bool = True
) -> str | None:
    """Each territory writes its own side of the cross view, never the other's.
    `in_partnership`: whether `territory` takes part in the exchange's partnership; the caller
    says, from the partnership's territories it already has, to spare a query (a territory
    outside the partnership is refused, administrators included)."""
    own = territory_of(user)
    if in_partnership and (
        is_administrator(user) or (is_officer(user) and own is not None and own.pk == territory.pk)
    ):
        return None
    if is_officer(user) and own is not None:
        return _(
            "You write the cross view of %(own)s. Only the officers of %(other)s write what "
            "%(other)s takes away from this exchange."
        ) % {"own": own.name, "other": territory.name}
    return _officers_only_write_cross_views()


def refusal_to_list_cross_views_to_write(user) -> str | None:
    """The list of the exchanges whose cross view a territory has not written yet: an
    officer's territory's, or any territory's for an administrator."""
    if is_administrator(user):
        return None
    if not is_officer(user):
        return _officers_only_write_cross_views()
    if territory_of(user) is None:
        return refusal_to_list_exchanges(user, None)
    return None


def refusal_to_add_attachment(user, exchange: Exchange) -> str | None:
    """Both delegations take photos: any officer of the partnership may add them."""
    if is_administrator(user) or (is_officer(user) and territory_of(user) is not None):
        return None
    return _("Only project officers add photos and documents.")


def refusal_to_change_attachment(user, attachment: Attachment) -> str | None:
    """Its caption and credit are changed, and the file removed, by whoever may change the
    exchange, or by the officer who added it."""
    if _may_edit_exchange(user, attachment.exchange) or (
        is_officer(user) and attachment.uploaded_by_id == user.pk
    ):
        return None
    return _(
        "Only the person who added this file, or the officers of the host territory, can remove it."
    )


def refusal_to_add_establishment(user, territory: Territory) -> str | None:
    """An officer adds the establishments of their own territory; administrators, any."""
    own = territory_of(user)
    if is_administrator(user) or (is_officer(user) and own is not None and own.pk == territory.pk):
        return None
    return territory_sentence(
        _(
            "You add the establishments of your own territory. Those of %(territory)s are "
            "added by its officers."
        ),
        territory=territory,
    )


def refusal_to_delete_establishment(user) -> str | None:
    """The list of establishments is pruned by administrators (in the admin)."""
    if is_administrator(user):
        return None
    return _("Only administrators remove an establishment from the list.")
