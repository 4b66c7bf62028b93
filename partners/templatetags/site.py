from decimal import Decimal

from django import template
from django.conf import settings
from django.urls import Resolver404, resolve, translate_url

from core.typography import format_money

register = template.Library()


@register.simple_tag(takes_context=True)
def page_in_language(context, language_code: str) -> str:
    """The current page's address in another language (the language switcher keeps the page),
    or that language's home page for an address that is no page (a 404).

    Built from the request's path only, with one leading slash: a path such as
    `//evil.example/x` or `/\\evil.example/x` (which browsers read as `//`) must never
    become a link to another site."""
    home = f"/{language_code}/"
    request = context.get("request")
    if request is None:
        return home
    path = "/" + request.path.lstrip("/\\")
    query = request.META.get("QUERY_STRING", "")
    translated = translate_url(path, language_code)
    if translated == path and not _is_page(path):
        return home
    return f"{translated}?{query}" if query else translated


@register.simple_tag(takes_context=True)
def page_address(context, language_code: str) -> str:
    """The current page's full address in a language, on the site's public address
    (`SITE_URL`, never the Host header a request came with): what search engines are told in
    the alternates and the canonical link, which must be absolute."""
    return settings.SITE_URL + page_in_language(context, language_code)


def _is_page(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


@register.filter
def money(amount: Decimal, currency: str) -> str:
    """30000 EUR -> '30 000 €' in French, '€30,000' in English (core.typography)."""
    return format_money(amount, currency)


@register.filter
def named(territory) -> str:
    """The territory's name as a sentence names it: « la Savoie », « Bignona » in French (its
    article by rule, `Territory.named`), "Savoie" in English. A page typeset by rule
    (`{% typeset %}`) contracts it after « de » and « à » (« du Nord »)."""
    return territory.named()
