"""{{ attachment.size|file_size }}: a file's weight as French readers write it ("3,2 Mo",
"450 Ko", "12 octets"), and English ones ("3.2 MB"). Django's own `filesizeformat` writes the
binary units "Mio" and "Kio" in French, which nobody reads on a phone."""

from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()

KILO = 1024


@register.filter
# Any: whatever the template passes (a file's size in bytes; a string, None or nothing else
# readable gives "").
def file_size(size: Any) -> str:
    try:
        size = int(size)
    except (TypeError, ValueError):
        return ""
    if size < KILO:
        sentence = ngettext("%(size)s byte", "%(size)s bytes", size) % {"size": size}
        return sentence.replace(" ", "\u00a0")
    units = [_("%(size)s KB"), _("%(size)s MB"), _("%(size)s GB")]
    amount, power = size / KILO, 0
    while round(amount, 1) >= KILO and power < len(units) - 1:
        amount, power = amount / KILO, power + 1
    unit = units[power]
    # One decimal under 10 ("3,2 Mo"), none above ("450 Ko"); a non-breaking space before.
    decimals = 1 if amount < 10 else 0
    shown = number_format(round(amount, decimals), decimal_pos=decimals)
    return (unit % {"size": shown}).replace(" ", "\u00a0")
