"""The site as an installable web app: its manifest, and its service worker served from the
site's own origin at `/sw.js`, so that its scope covers `/fr/` and `/en/` (a worker under
/static/ could only control /static/). The worker's code is the static file
static/js/sw.js, preceded by one line naming what it keeps for offline use: the app shell's
static files under their deployed (hashed) names, the release (`core.deploy.deploy_version`),
which names its caches, how many pages it keeps, and the sentence it shows, in each language,
when it has no page to show.

What the worker keeps of pages belongs to one account: every response to a signed-in person
says whose it is (`X-Account`, AccountHeaderMiddleware), the worker keeps it in that
account's cache and forgets the other accounts' pages when another account signs in."""

import json
from collections.abc import Callable

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

#: Whose page a response is (the account's id), read by the service worker.
ACCOUNT_HEADER = "X-Account"
#: How many pages the service worker keeps for use without a connection (the oldest go first).
KEPT_PAGES = 30

#: The static files every page needs, kept by the worker when it installs.
SHELL = [
    "css/site.css",
    "js/outbox.js",
    "js/drafts.js",
    "icons/icon-192.png",
]


@require_GET
@never_cache  # the browser checks for a new worker on each visit (it caches nothing else here)
def service_worker(request: HttpRequest) -> HttpResponse:
    source = finders.find("js/sw.js")
    if source is None:
        raise Http404
    with open(source, encoding="utf-8") as handle:
        code = handle.read()
    shell = {
        "release": settings.CACHES["default"].get("KEY_PREFIX", ""),
        "static": [static(name) for name in SHELL],
        "pages": KEPT_PAGES,
        "offline": offline_sentences(),
    }
    body = f"self.SHELL = {json.dumps(shell)};\n{code}"
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """The site's icon where browsers and crawlers look for it without reading a page
    (`/favicon.ico`): served here rather than redirected, since a permanent redirect to the
    static file's deployed (hashed) name would outlive the next release."""
    source = finders.find("icons/favicon.ico")
    if source is None:
        raise Http404
    with open(source, "rb") as handle:
        icon = handle.read()
    response = HttpResponse(icon, content_type="image/vnd.microsoft.icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """The Web App Manifest, in the page's language (its start page is the exchanges)."""
    language = get_language()
    response = JsonResponse(
        {
            "id": "/",
            "name": _("Regard croisé — Savoie and Bignona"),
            "short_name": _("Regard croisé"),
            "description": _(
                "Log the exchanges of the Savoie – Bignona cooperation and their cross view, "
                "even without a connection."
            ),
            "lang": language,
            "start_url": reverse("exchange_list"),
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#0b5c7a",
            "icons": [
                {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {
                    "src": static("icons/icon-512-maskable.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
            ],
        },
        json_dumps_params={"ensure_ascii": False},
        content_type="application/manifest+json",
    )
    return response


def offline_sentences() -> dict[str, dict[str, str]]:
    """What the worker shows, in the page's language, for a page it does not keep."""
    sentences = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            sentences[code] = {
                "title": _("No connection"),
                "text": _(
                    "There is no connection and this page is not kept on this device. "
                    "Try again when the connection returns."
                ),
            }
    return sentences


class AccountHeaderMiddleware:
    """`X-Account: <id>` on every response to a signed-in person: the service worker keeps
    the page for that account only (static/js/sw.js)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response[ACCOUNT_HEADER] = str(user.pk)
        return response
