"""Template helpers for the restitution: translated content that never leaves a hole."""

from django import template
from django.conf import settings
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

register = template.Library()


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


@register.simple_tag
def translated(obj, field_name: str, paragraphs: bool = False) -> SafeString:
    """`obj.<field_name>` in the active language. When that translation is still empty, the
    French text is shown, marked as such, with a discreet "not yet translated" marker.

    {% translated exchange "summary" paragraphs=True %}
    """
    if obj is None:
        return mark_safe("")
    base = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    language = _language()
    own = getattr(obj, f"{field_name}_{language}", None) or ""
    if own.strip() or language == base:
        return _text(own, paragraphs)
    fallback = getattr(obj, f"{field_name}_{base}", None) or ""
    if not fallback.strip():
        return mark_safe("")
    marker = gettext("not yet translated")
    if paragraphs:
        return format_html(
            '<div lang="{}" class="fallback">{}</div><p class="untranslated">{}</p>',
            base,
            _text(fallback, True),
            marker,
        )
    return format_html(
        '<span lang="{}">{}</span> <span class="untranslated">({})</span>',
        base,
        _text(fallback, False),
        marker,
    )


def _text(value: str, paragraphs: bool) -> SafeString:
    value = value.strip()
    if paragraphs:
        return linebreaks_filter(value, autoescape=True)
    return conditional_escape(value)


@register.filter
def percent(value: int, total: int) -> int:
    """The share of `value` in `total`, in whole percent (0 when the total is 0)."""
    return round(100 * value / total) if total else 0
