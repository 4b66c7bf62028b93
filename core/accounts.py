"""Links that let a person choose their password: a forgotten password (Django's own
PasswordResetView, its email handed to the task worker) and an administrator's invitation
(the same link, a welcoming email, in the invited person's language)."""

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .tasks import send_email


def _enqueue(subject: str, body: str, to: str) -> None:
    # An email header is one line: a subject template's line breaks would be refused.
    send_email.enqueue(subject="".join(subject.splitlines()), body=body, to=[to])


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's form (it says the same whether or not the address has an account, so nobody
    learns who is registered), with its email sent by the task worker."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        subject = render_to_string(subject_template_name, context)
        body = render_to_string(email_template_name, context)
        _enqueue(subject, body, to_email)


def password_link(user, *, base_url: str) -> str:
    """The address where `user` chooses a password (valid PASSWORD_RESET_TIMEOUT, 3 days by
    default, and once only: it no longer works when the password has changed)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return base_url.rstrip("/") + path


def send_invitation(user, *, base_url: str, language: str, invited_by: str) -> None:
    """Enqueue the invitation to `user`: who invites them, the link to choose a password."""
    with translation.override(language):
        context = {
            "user": user,
            "link": password_link(user, base_url=base_url),
            "invited_by": invited_by,
            "login_url": base_url.rstrip("/") + reverse("login"),
        }
        subject = render_to_string("registration/invitation_subject.txt", context)
        body = render_to_string("registration/invitation_email.txt", context)
    _enqueue(subject, body, user.email)
