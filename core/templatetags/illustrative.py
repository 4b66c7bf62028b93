"""`{% illustrative obj %}`: the visible mark beside an item invented for a demonstration or
an example (`core.illustrative`), in the reader's language, on every page and edition that
shows it; nothing for a real one.

    {% load illustrative %}
    <h3>{% translated exchange "title" %} {% illustrative exchange %}</h3>
"""

import datetime

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from core.typography import format_period

register = template.Library()


@register.simple_tag
def illustrative(obj: object) -> SafeString:
    """The mark for `obj` (a row with an `illustrative` field, or a bool)."""
    marked = obj if isinstance(obj, bool) else getattr(obj, "illustrative", False)
    if not marked:
        return mark_safe("")
    return format_html(
        '<span class="illustrative" title="{}">{}</span>',
        gettext("Invented for the demonstration: not reported by the partners."),
        gettext("illustrative"),
    )


@register.simple_tag
def period(start: datetime.date, end: datetime.date) -> str:
    """« du 7 au 10 juin 2016 », "7–10 June 2016": the year once (core.typography)."""
    return format_period(start, end)
