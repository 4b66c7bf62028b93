"""Template helpers for the restitution: translated content that never leaves a hole."""

from django import template

from core.templatetags.illustrative import illustrative, period
from core.templatetags.translations import translated

register = template.Library()


# The one "not yet translated" rule of the site (core), under the restitution's library too.
register.simple_tag(translated, name="translated")
register.simple_tag(illustrative, name="illustrative")
register.simple_tag(period, name="period")


@register.simple_tag(takes_context=True)
def photo_src(context, photo) -> str:
    """The address of a photo chosen for the restitution in this medium (screen or print)."""
    from reporting.document import photo_src as src

    return src(photo, medium=context.get("medium", "screen"))
