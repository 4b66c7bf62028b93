"""Middleware every page needs, whatever app answers it."""

from collections.abc import Callable
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject


class RequestSizeLimitMiddleware:
    """Refuses a request whose body is larger than `MAX_REQUEST_BYTES` before anything reads
    it (Django reads a whole multipart body, into memory or a temporary file, as soon as a
    view or the CSRF check asks for `request.POST`, even from a visitor who is not logged in).

    First in MIDDLEWARE. A body is announced by its Content-Length: too large, it gets a 413.
    A chunked body has none: under WSGI Django reads none of it (it trusts Content-Length
    only), and this says so with a 411 rather than letting a form arrive empty. (Under ASGI
    the server hands over the whole body before any middleware runs: limit it there.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
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


def _refusal(request: HttpRequest, template: str, *, status: int) -> TemplateResponse:
    """A page in the language of the address (LocaleMiddleware has not run yet), with the
    site's menu for the member whose session it is (read from the session cookie: the body
    stays unread), the attachments' limit as the form's help says it, and a way back to the
    exchange the file was meant for."""
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    _identify(request)
    with translation.override(language):
        response = TemplateResponse(
            request,
            template,
            {"limit": settings.ATTACHMENT_MAX_BYTES, "back": _way_back(request)},
            status=status,
        )
        response.render()
    return response


def _identify(request: HttpRequest) -> None:
    """request.session and request.user as their middleware would set them, read lazily."""
    engine = import_module(settings.SESSION_ENGINE)
    request.session = engine.SessionStore(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
    request.user = SimpleLazyObject(lambda: get_user(request))  # type: ignore[assignment]  # as AuthenticationMiddleware sets it


def _way_back(request: HttpRequest) -> str | None:
    """The page of the exchange a refused sending was for (its attachment form, or a piece of
    a document on its way to it), else None: the page offers the home page."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    exchange = match.kwargs.get("pk") if match.url_name == "exchange_attachment_create" else None
    if exchange is None:
        return None
    return reverse("exchange_detail", args=[exchange])


class MethodNotAllowedPageMiddleware:
    """Django answers a method a view does not take (`require_POST`, a class-based view's
    `http_method_not_allowed`) with an empty 405: the browser shows a blank page. This puts
    the site's page in its place, in the page's language, keeping the `Allow` header. A 405
    that already says something (a JSON answer to the outbox) is left as it is.

    Last in MIDDLEWARE (config/settings.py): the language, the session and the user are known,
    and every other middleware (cache policy, X-Account, Content-Security-Policy) sees the
    page it makes, not the empty answer it replaces."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        said_something = not isinstance(response, HttpResponse) or response.content
        if response.status_code != 405 or said_something:
            return response
        page = TemplateResponse(request, "405.html", status=405)
        page.render()
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page


class PrivateCacheMiddleware:
    """What a logged-in member is shown (exchanges, drafts, attachments, personal data) is
    kept by no shared cache: `Cache-Control: private` on every response to a member, unless
    the view said otherwise (`never_cache`, a published file's own policy)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True)
        return response
