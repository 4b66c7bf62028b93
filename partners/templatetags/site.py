from decimal import Decimal

from django import template
from django.urls import translate_url
from django.utils.formats import number_format

from partners.models import Currency

register = template.Library()

CURRENCY_SYMBOLS = {Currency.EUR: "€", Currency.XOF: "F CFA"}


@register.simple_tag(takes_context=True)
def page_in_language(context, language_code: str) -> str:
    """The current page's address in another language (the language switcher keeps the page)."""
    request = context.get("request")
    if request is None:
        return f"/{language_code}/"
    return translate_url(request.get_full_path(), language_code)


@register.filter
def money(amount: Decimal, currency: str) -> str:
    """30000 EUR -> '30 000 €' in French, '30,000 €' in English."""
    digits = 0 if amount == amount.to_integral_value() else 2
    formatted = number_format(amount, decimal_pos=digits, use_l10n=True, force_grouping=True)
    return f"{formatted}\u00a0{CURRENCY_SYMBOLS.get(currency, currency)}"
