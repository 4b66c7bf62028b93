"""Content in the reader's language, never a hole: `{% translated obj "field" %}` shows
`obj.<field>` in the active language; when that translation is still empty, the French text
(modeltranslation's fallback) is shown in its own `lang="fr"`, followed by a discreet
"not yet translated" marker, so that a screen reader reads it with a French voice and an English
reader knows why the text is in French. Used on every page that shows translated content (the
restitution's `restitution` library registers the same tag).

    {% load translations %}
    {% translated exchange "title" %}
    {% translated exchange "summary" paragraphs=True %}
"""

from django import template
from django.conf import settings
from django.db.models import Model
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

register = template.Library()


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


@register.simple_tag
def translated(obj: Model | None, field_name: str, paragraphs: bool = False) -> SafeString:
    """`obj.<field_name>` in the active language, or the French text marked as not yet
    translated (nothing when neither is written)."""
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
