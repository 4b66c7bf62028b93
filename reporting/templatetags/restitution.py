"""Template helpers for the restitution: translated content that never leaves a hole."""

from django import template

from core.templatetags.translations import translated
from core.typography import format_money

register = template.Library()


# The one "not yet translated" rule of the site (core), under the restitution's library too.
register.simple_tag(translated, name="translated")


@register.simple_tag(takes_context=True)
def photo_src(context, photo) -> str:
    """The address of a photo chosen for the restitution in this medium (screen or print)."""
    from reporting.document import photo_src as src

    return src(photo, medium=context.get("medium", "screen"))


@register.filter
def amount(value, currency: str) -> str:
    """An amount in the active language's convention: « 20 000 € », "€20,000"."""
    return format_money(value, currency)


@register.filter
def percent(value: int, total: int) -> int:
    """The share of `value` in `total`, in whole percent (0 when the total is 0)."""
    return round(100 * value / total) if total else 0
