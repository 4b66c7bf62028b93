"""Who may do what with the changes on the territories: one function per rule, each returning
the refusal (a translated sentence) or None when the user may. Views, templates and services
all ask these. (Who sets a line of action's stage: observatory/permissions.py.)"""

from django.utils.translation import gettext as _

from partners.models import Territory, territory_sentence
from partners.roles import (
    is_administrator,
    is_member,
    is_officer,
    reaches_partnership,
    territory_of,
)

from .change_models import PolicyChange


def refusal_to_read_changes(user) -> str | None:
    """Officers, elected officials and administrators read the changes of both sides."""
    if is_member(user):
        return None
    return _(
        "Your account has no role on the platform yet, so it cannot read the changes. Ask an "
        "administrator to give you one."
    )


def refusal_to_reach_changes(user, partnership_id: int) -> str | None:
    """A partnership's changes are its members' only (and the administrators')."""
    if is_member(user) and reaches_partnership(user, partnership_id):
        return None
    return _("This change belongs to a partnership your territory does not take part in.")


def refusal_to_record_change(user) -> str | None:
    """Officers record their own territory's changes; administrators any."""
    if is_administrator(user) or (is_officer(user) and territory_of(user) is not None):
        return None
    return _(
        "Only project officers record the changes of their territory. Your account can read "
        "them but not add any."
    )


def refusal_to_record_change_for(user, territory: Territory | None) -> str | None:
    """Each side writes its own changes, never the other's."""
    if refused := refusal_to_record_change(user):
        return refused
    if is_administrator(user):
        return None
    own = territory_of(user)
    if territory is not None and own is not None and own.pk == territory.pk:
        return None
    return territory_sentence(
        _(
            "You record the changes of %(own)s. Those of another territory are recorded by its "
            "own officers."
        ),
        own=own or "",
    )


def refusal_to_edit_change(user, change: PolicyChange) -> str | None:
    """The officers of the territory that changed edit and delete it; administrators too."""
    if is_administrator(user):
        return None
    own = territory_of(user)
    if is_officer(user) and own is not None and own.pk == change.territory_id:
        return None
    return territory_sentence(
        _(
            "Only the project officers of %(territory)s, the territory that changed, can change "
            "or delete this record."
        ),
        territory=change.territory,
    )
