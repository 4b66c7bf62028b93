"""Who may do what with restitutions: the one place views, templates and the admin ask."""

from partners.roles import is_administrator, is_member, is_officer


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
