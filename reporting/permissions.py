"""Who may do what with restitutions: the one place views, templates and the admin ask."""

from django.utils.translation import gettext as _

from partners.roles import is_administrator, is_member, is_officer, reaches_partnership


def can_read_published(user) -> bool:
    """Officers, elected officials and administrators read the published editions."""
    return is_member(user)


def can_read_drafts(user) -> bool:
    """Drafts are work in progress: officers and administrators only."""
    return is_officer(user) or is_administrator(user)


def can_edit(user) -> bool:
    """Officers type the editorial introduction and conclusion; administrators too."""
    return is_officer(user) or is_administrator(user)


def can_publish(user) -> bool:
    return is_administrator(user)


def can_reach(user, partnership_id: int) -> bool:
    """A partnership's restitutions are its members' (and the administrators'): the pages find
    them through the user's partnership (`partners.selectors.partnership_of`), the services
    check it again before a write."""
    return is_member(user) and reaches_partnership(user, partnership_id)


def why_not_partnership() -> str:
    return _(
        "Your account is not tied to a territory of a partnership, so it cannot read the "
        "restitutions. Ask an administrator to set your territory."
    )


def why_not_reach() -> str:
    return _("This restitution belongs to a partnership your territory does not take part in.")
