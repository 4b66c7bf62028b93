"""The rules of exchanges/permissions.py, for templates: "may" is the absence of a refusal."""

from django import template

from .. import permissions

register = template.Library()


@register.filter
def editable_by(exchange, user) -> bool:
    """{% if exchange|editable_by:user %}"""
    return permissions.refusal_to_edit_exchange(user, exchange) is None


@register.filter
def removable_by(attachment, user) -> bool:
    """{% if attachment|removable_by:user %}"""
    return permissions.refusal_to_change_attachment(user, attachment) is None


@register.filter
def person(user) -> str:
    """{{ exchange.updated_by|person }}: the full name, else the username, else a dash."""
    if user is None:
        return "—"
    return user.get_full_name() or user.username
