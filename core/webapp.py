"""The site as an installable web app: its manifest, and its service worker served from the
site's own origin at `/sw.js`, so that its scope covers `/fr/` and `/en/` (a worker under
/static/ could only control /static/). The worker's code is the static file
static/js/sw.js, preceded by one line naming what it keeps for offline use: the app shell's
static files under their deployed (hashed) names, and the release, which renames its caches."""

import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

#: The static files every page needs, kept by the worker when it installs.
SHELL = [
    "css/site.css",
    "js/outbox.js",
    "js/drafts.js",
    "icons/icon-192.png",
]


@require_GET
@never_cache  # the browser checks for a new worker on each visit (it caches nothing else here)
def service_worker(request):
    source = finders.find("js/sw.js")
    if source is None:
        raise Http404
    with open(source, encoding="utf-8") as handle:
        code = handle.read()
    shell = {
        "release": settings.CACHES["default"].get("KEY_PREFIX", ""),
        "static": [static(name) for name in SHELL],
    }
    body = f"self.SHELL = {json.dumps(shell)};\n{code}"
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def manifest(request):
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
