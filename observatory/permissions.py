"""Who may do what in the observatory: one function per rule, each returning the refusal (a
translated sentence) or None when the user may. Services and the admin ask these."""

from django.utils.translation import gettext as _

from partners.roles import is_administrator, is_officer, territory_of


def refusal_to_set_stage(user, territory_id: int) -> str | None:
    """A line of action's stage is set by its territory's officers or an administrator."""
    if is_administrator(user):
        return None
    own = territory_of(user)
    if is_officer(user) and own is not None and own.pk == territory_id:
        return None
    return _("Only the officers of the line of action's territory set its stage.")
