"""Logging in and out: whose address a request comes from, a brake on failed logins from one
address, and a logout that forgets the unsent drafts kept in the browser."""

import ipaddress
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.shortcuts import render
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


def client_ip(request) -> str | None:
    """The visitor's address: the socket's, or behind `TRUSTED_PROXIES` reverse proxies the
    one the outermost of them saw, which is the N-th from the right in X-Forwarded-For (each
    proxy appends the address it saw; whatever the visitor wrote comes before). django-axes
    reads it through AXES_CLIENT_IP_CALLABLE."""
    remote = request.META.get("REMOTE_ADDR")
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
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def _failures_key(request) -> str:
    return f"failed-logins:{client_ip(request)}"


def login_throttled(request) -> bool:
    return (cache.get(_failures_key(request)) or 0) >= FAILED_LOGINS_PER_ADDRESS


def count_failed_login(request) -> None:
    key = _failures_key(request)
    window = int(FAILED_LOGINS_WINDOW.total_seconds())
    if not cache.add(key, 1, window):
        try:
            cache.incr(key)
        except ValueError:  # expired in between
            cache.add(key, 1, window)


class LoginView(auth_views.LoginView):
    """Django's login page; an address that failed too often lately gets a 429 page before
    any password is checked."""

    def post(self, request, *args, **kwargs):
        if login_throttled(request):
            minutes = int(FAILED_LOGINS_WINDOW.total_seconds() // 60)
            response = render(
                request, "registration/throttled.html", {"minutes": minutes}, status=429
            )
            response["Retry-After"] = str(int(FAILED_LOGINS_WINDOW.total_seconds()))
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        count_failed_login(self.request)
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    """Django's logout, which also removes the unsent drafts static/js/drafts.js keeps in this
    browser (another person may use it next):

    - `Clear-Site-Data: "storage"` has the browser empty this site's local storage, with no
      script at all. The site keeps nothing else there (the admin keeps whether its sidebar is
      open), so nothing else is lost. Browsers apply it over HTTPS only, and not all of them;
    - so the page after the logout also carries a message marked `data-clear-drafts`, on
      which drafts.js removes the drafts itself."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"storage"'
        messages.success(
            request,
            _("You are logged out. The unsent drafts were removed from this browser."),
            extra_tags="clear-drafts",
        )
        return response
