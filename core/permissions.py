"""What every app's permission rules share. A rule (`exchanges.permissions`,
`reporting.permissions`, …) is one function that returns the refusal, a translated sentence,
or None when the user may; `require` turns a refusal into the 403 page that shows it."""

from django.core.exceptions import PermissionDenied


def require(refusal: str | None) -> None:
    """`require(refusal_to_edit_exchange(user, exchange))`: raises PermissionDenied with the
    refusal (shown by the 403 page), or does nothing when there is none."""
    if refusal is not None:
        raise PermissionDenied(refusal)
