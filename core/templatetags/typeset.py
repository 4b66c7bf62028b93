"""`{% typeset %}…{% endtypeset %}`: French typography by rule (core.typography) over what the
block renders, on a French page; on a page in another language only the apostrophes. For the
pages whose text comes from the data (an exchange, the paired questionings), without touching
the rest of the site's HTML."""

from django import template
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from core.typography import typeset_html

register = template.Library()


class TypesetNode(template.Node):
    def __init__(self, nodelist: template.NodeList):
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        html = self.nodelist.render(context)
        language = (translation.get_language() or "fr").split("-")[0]
        return mark_safe(typeset_html(html, language=language))  # noqa: S308 (rendered HTML)


@register.tag
def typeset(parser: template.base.Parser, token: template.base.Token) -> TypesetNode:
    nodelist = parser.parse(("endtypeset",))
    parser.delete_first_token()
    return TypesetNode(nodelist)
