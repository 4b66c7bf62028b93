"""Links that let a person choose their password: a forgotten password (Django's own
PasswordResetView, its email handed to the task worker) and an administrator's invitation
(the same link, a welcoming email, in the invited person's language). Every link starts with
SITE_URL (DJANGO_SITE_URL), never with the Host header a request came with."""

import hashlib
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .emails import email_queue
from .login import client_key, count
from .models import OutgoingEmail
from .tasks import task

#: Reset emails one mailbox may be sent in RESETS_WINDOW: enough for a person who asks again
#: because the first one is slow to come; a flood of requests for one address sends no more.
RESETS_PER_EMAIL = 3
#: Reset requests one client (core.login.client_key) may make in RESETS_WINDOW, whatever the
#: addresses: an office asking for a few of its members, not a script trying a list.
RESETS_PER_CLIENT = 10
RESETS_WINDOW = timedelta(hours=1)


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's form, whose page says the same whether or not the address has an account, so
    nobody learns who is registered. The request does the same work for every address: it
    counts it against the limits and hands it to the task worker (send_password_reset), which
    looks for the account and writes the email. A known address and an unknown one cost the
    same queries, and no request waits for a password hash or a template. Over a limit
    (RESETS_PER_EMAIL, RESETS_PER_CLIENT) nothing is handed over, and the page is the same."""

    # Keyword-only, unlike Django's positional signature: PasswordResetView passes its options
    # by name, and this form reads only the request (the other options are Django's, Any).
    def save(self, *, request: HttpRequest, **_django_options: Any) -> None:  # type: ignore[override]
        email = self.cleaned_data["email"]
        if count(f"password-resets:client:{client_key(request)}", RESETS_WINDOW) > (
            RESETS_PER_CLIENT
        ):
            return
        # Hashed: the cache holds no email address (and a key of any length is fine).
        mailbox = hashlib.sha256(email.casefold().encode()).hexdigest()
        if count(f"password-resets:email:{mailbox}", RESETS_WINDOW) > RESETS_PER_EMAIL:
            return
        send_password_reset.enqueue(email=email, language=translation.get_language())


@task()
def send_password_reset(*, email: str, language: str) -> None:
    """In the worker: an email with a link to choose a new password to each active account
    with this address and a usable password (Django's rule), none for an unknown address."""
    for user in PasswordResetForm().get_users(email):
        with translation.override(language):
            context = {"user": user, "link": password_link(user, base_url=settings.SITE_URL)}
            subject = render_to_string("registration/password_reset_subject.txt", context)
            body = render_to_string("registration/password_reset_email.html", context)
        email_queue(to=user.email, subject=subject, body=body)


def password_link(user: User, *, base_url: str) -> str:
    """The address where `user` chooses a password (valid PASSWORD_RESET_TIMEOUT, 3 days by
    default, and once only: it no longer works when the password has changed)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return base_url.rstrip("/") + path


def send_invitation(user: User, *, base_url: str, language: str, invited_by: str) -> OutgoingEmail:
    """Queue the invitation to `user`: who invites them, the link to choose a password. Returns
    the e-mail kept, which says whether it has left, is waiting for the worker, or was
    refused."""
    with translation.override(language):
        context = {
            "user": user,
            "link": password_link(user, base_url=base_url),
            "invited_by": invited_by,
            "login_url": base_url.rstrip("/") + reverse("login"),
        }
        subject = render_to_string("registration/invitation_subject.txt", context)
        body = render_to_string("registration/invitation_email.txt", context)
    return email_queue(to=user.email, subject=subject, body=body)
