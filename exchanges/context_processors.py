"""What every page's navigation shows about exchanges: the officer's count of cross views to
write. Counted only when the page shows it, at most once a page (one query)."""

from functools import cache

from partners.roles import is_officer, territory_of

from . import selectors


def to_write(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not is_officer(user):
        return {}
    territory = territory_of(user)
    if territory is None:
        return {}

    @cache
    def count() -> int:  # a template calls it: `{% with n=to_write_count %}`
        return selectors.to_write_count(territory)

    return {"to_write_count": count, "to_write_limit": selectors.TO_WRITE_COUNT_LIMIT}
