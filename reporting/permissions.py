"""Who may do what with restitutions: one function per rule, each returning the refusal (the
translated sentence the 403 page shows) or None when the user may. Views, templates, the
admin and the services all ask these (`core.permissions.require` raises the refusal)."""

from django.utils.translation import gettext as _

from partners.models import Partnership
from partners.roles import is_administrator, is_member, is_officer, reaches_partnership


def refusal_to_read_restitutions(user) -> str | None:
    """Officers, elected officials and administrators read the published editions."""
    if is_member(user):
        return None
    return _("Annual restitutions are for the partnership's members.")


def refusal_to_list_restitutions(user, partnership: Partnership | None) -> str | None:
    """The restitutions reached by year are the user's own partnership's
    (`partners.selectors.partnership_of`, passed here): a member whose account is not tied to
    a partnership's territory has none to read."""
    if refused := refusal_to_read_restitutions(user):
        return refused
    if partnership is not None:
        return None
    return _(
        "Your account is not tied to a territory of a partnership, so it cannot read the "
        "restitutions. Ask an administrator to set your territory."
    )


def refusal_to_reach_partnership(user, partnership_id: int) -> str | None:
    """A partnership's restitutions are its members' (and the administrators'): the pages find
    them through the user's partnership (`partners.selectors.partnership_of`), the services
    ask this again before a write."""
    if is_member(user) and reaches_partnership(user, partnership_id):
        return None
    return _("This restitution belongs to a partnership your territory does not take part in.")


def refusal_to_read_drafts(user) -> str | None:
    """Drafts are work in progress: officers and administrators only."""
    if is_officer(user) or is_administrator(user):
        return None
    return _(
        "This restitution is still a draft: it can be read once an administrator publishes it."
    )


def refusal_to_start_restitution(user) -> str | None:
    """Officers start a year's restitution (then write it); administrators too."""
    if is_officer(user) or is_administrator(user):
        return None
    return _("Only project officers and administrators start a restitution.")


def refusal_to_edit_restitution(user) -> str | None:
    """Officers type the editorial introduction and conclusion; administrators too."""
    if is_officer(user) or is_administrator(user):
        return None
    return _("Only project officers and administrators edit a restitution.")


def refusal_to_publish_restitution(user) -> str | None:
    """Publishing makes a version elected officials read: administrators only."""
    if is_administrator(user):
        return None
    return _("Only administrators publish a restitution.")
