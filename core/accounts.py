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

from .emails import email_queue
from .models import OutgoingEmail


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
        email_queue(to=to_email, subject=subject, body=body)


def password_link(user, *, base_url: str) -> str:
    """The address where `user` chooses a password (valid PASSWORD_RESET_TIMEOUT, 3 days by
    default, and once only: it no longer works when the password has changed)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return base_url.rstrip("/") + path


def send_invitation(user, *, base_url: str, language: str, invited_by: str) -> OutgoingEmail:
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
