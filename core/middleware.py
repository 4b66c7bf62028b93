"""Middleware every page needs, whatever app answers it."""

from django.conf import settings
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.cache import patch_cache_control


class RequestSizeLimitMiddleware:
    """Refuses a request whose body is larger than `MAX_REQUEST_BYTES` before anything reads
    it (Django reads a whole multipart body, into memory or a temporary file, as soon as a
    view or the CSRF check asks for `request.POST`, even from a visitor who is not logged in).

    First in MIDDLEWARE. A body is announced by its Content-Length: too large, it gets a 413.
    A chunked body has none: under WSGI Django reads none of it (it trusts Content-Length
    only), and this says so with a 411 rather than letting a form arrive empty. (Under ASGI
    the server hands over the whole body before any middleware runs: limit it there.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        announced = request.META.get("CONTENT_LENGTH") or ""
        try:
            length = int(announced)
        except ValueError:
            length = 0  # none, or not a number: Django reads no body then
        if length > settings.MAX_REQUEST_BYTES:
            return _refusal(request, "413.html", status=413)
        chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not announced:
            return _refusal(request, "411.html", status=411)
        return self.get_response(request)


def _refusal(request, template: str, *, status: int) -> TemplateResponse:
    """A short page in the language of the address (LocaleMiddleware has not run yet)."""
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        response = TemplateResponse(
            request,
            template,
            {"limit": settings.MAX_REQUEST_BYTES},
            status=status,
        )
        response.render()
    return response


class PrivateCacheMiddleware:
    """What a logged-in member is shown (exchanges, drafts, attachments, personal data) is
    kept by no shared cache: `Cache-Control: private` on every response to a member, unless
    the view said otherwise (`never_cache`, a published file's own policy)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True)
        return response


class TypographyMiddleware:
    """French typography by rule on every HTML page (core.typography.typeset_html): the space
    before « : ; ! ? », inside « guillemets », « 1er », curly apostrophes, wherever the text is
    French, whatever template or data it comes from. Tags, attributes, form fields, scripts and
    styles are left alone; other responses (files, JSON, streams) pass untouched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            getattr(response, "streaming", False)
            or not response.get("Content-Type", "").startswith("text/html")
            or response.get("Content-Encoding")
            or not response.content
        ):
            return response
        from django.utils.translation import get_language

        from core.typography import typeset_html

        charset = response.charset or "utf-8"
        html = response.content.decode(charset)
        response.content = typeset_html(html, language=get_language() or "fr").encode(charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
