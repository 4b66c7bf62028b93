"""Logging in and out: whose address a request comes from, one brake on every form that
checks a password (the site's login, the admin's login, the admin's password change), and a
logout that forgets the unsent drafts kept in the browser."""

import functools
import ipaddress
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Concatenate, ParamSpec

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _

#: Failed logins one address may make in a window before its logins are refused for the rest
#: of it: enough for an office whose staff share one public address, too few to keep the
#: server hashing random passwords. Each failure costs a password hash (a quarter of a second
#: of a core, even for a username that does not exist), so the burst matters as much as the
#: rate: ten addresses allowed 20 failures at once kept both cores of a small server busy for
#: half a minute. django-axes also locks a username on an address after AXES_FAILURE_LIMIT
#: failures.
FAILED_LOGINS_PER_ADDRESS = 10
FAILED_LOGINS_WINDOW = timedelta(minutes=10)

#: An IPv6 client is counted by the /64 network its address is in: one subscriber, one
#: phone or one server gets a whole /64 and may use any address in it.
IPV6_CLIENT_PREFIX = 64


def _normal(address: str) -> str | None:
    """`address` written one way only: an IPv4 address wrapped in IPv6 (`::ffff:198.51.100.20`,
    what a dual-stack socket reports) is the IPv4 address; None if it is not an address."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return str(ip)


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address: the socket's, or behind `TRUSTED_PROXIES` reverse proxies the
    one the outermost of them saw, which is the N-th from the right in X-Forwarded-For (each
    proxy appends the address it saw; whatever the visitor wrote comes before). IPv4 addresses
    wrapped in IPv6 are unwrapped. django-axes reads it through AXES_CLIENT_IP_CALLABLE."""
    remote: str | None = request.META.get("REMOTE_ADDR")
    if remote:
        remote = _normal(remote) or remote
    proxies = settings.TRUSTED_PROXIES
    if not proxies:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return remote
    # Fewer addresses than proxies: the request came in past the outer ones, and the leftmost
    # address is still one a trusted proxy wrote.
    candidate = forwarded[-min(proxies, len(forwarded))]
    return _normal(candidate) or remote


def client_key(request: HttpRequest) -> str:
    """Who a brake counts: the visitor's IPv4 address, or the /64 network of their IPv6 one
    (each address of it separately would give one client 2**64 tries)."""
    address = client_ip(request)
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:  # not a network socket
        return str(address)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/{IPV6_CLIENT_PREFIX}", strict=False))
    return str(address)  # an address here: ip_address() read it


def count(key: str, window: timedelta) -> int:
    """Adds one to the counter `key`, which is forgotten `window` after its last addition;
    returns the new count. In the brakes' cache (settings.brake_cache), so that every worker and
    server (with Redis) share it, and nothing else the site keeps pushes it out: a counter at
    most as accurate as the cache, which is all a brake needs."""
    seconds = int(window.total_seconds())
    cache = caches["brakes"]
    if cache.add(key, 1, seconds):
        return 1
    try:
        value = cache.incr(key)
    except ValueError:  # expired in between
        cache.add(key, 1, seconds)
        return 1
    # The file cache's incr() writes the value again with the default timeout (5 minutes):
    # give the counter its whole window again.
    cache.touch(key, seconds)
    return value


def _failures_key(request: HttpRequest) -> str:
    return f"failed-logins:{client_key(request)}"


def login_throttled(request: HttpRequest) -> bool:
    return (caches["brakes"].get(_failures_key(request)) or 0) >= FAILED_LOGINS_PER_ADDRESS


def count_failed_login(request: HttpRequest) -> None:
    count(_failures_key(request), FAILED_LOGINS_WINDOW)


def throttled_response(request: HttpRequest) -> HttpResponse:
    """The translated 429 page an address that failed too often gets, from any login form."""
    minutes = int(FAILED_LOGINS_WINDOW.total_seconds() // 60)
    response = render(request, "registration/throttled.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(int(FAILED_LOGINS_WINDOW.total_seconds()))
    return response


_P = ParamSpec("_P")
_View = Callable[Concatenate[HttpRequest, _P], HttpResponseBase]


def password_brake(view: _View[_P]) -> _View[_P]:
    """The one brake on every form that checks a password (the site's login, the admin's
    login and password change: config/urls.py). A POST from an address that failed
    FAILED_LOGINS_PER_ADDRESS times lately gets the 429 page before any password is hashed;
    a POST answered with the form again (200: a wrong password, or a form left incomplete)
    counts as a failure. Success redirects, and django-axes' lockout page is a 429: neither
    counts. The same counter for every form, so an address braked on one is braked on all."""

    @functools.wraps(view)
    def braked(request: HttpRequest, *args: _P.args, **kwargs: _P.kwargs) -> HttpResponseBase:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        if login_throttled(request):
            return throttled_response(request)
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            count_failed_login(request)
        return response

    return braked


@method_decorator(password_brake, name="dispatch")
class LoginView(auth_views.LoginView):
    """Django's login page, behind the password brake."""


class LogoutView(auth_views.LogoutView):
    """Django's logout, which also removes the unsent drafts static/js/drafts.js keeps in this
    browser (another person may use it next):

    - `Clear-Site-Data: "storage"` has the browser empty this site's local storage, with no
      script at all. The site keeps nothing else there (the admin keeps whether its sidebar is
      open), so nothing else is lost. Browsers apply it over HTTPS only, and not all of them;
    - so the page after the logout also carries a message marked `data-clear-drafts`, on
      which drafts.js removes the drafts itself."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"storage"'
        messages.success(
            request,
            _("You are logged out. The unsent drafts were removed from this browser."),
            extra_tags="clear-drafts",
        )
        return response
