"""A forgotten password and an administrator's invitation: Django's own views, translated,
with their email sent by the task worker, in the person's language for an invitation."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail

from partners.models import Profile
from tests.factories import savoie, user_with_role
from tests.reporting_factories import DUMMY_TASKS, IMMEDIATE_TASKS

try:  # Django 6.0+
    from django.tasks import task_backends
except ImportError:  # Django 5.2
    from django_tasks import task_backends

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "un-nouveau-mot-de-passe-solide"


def link_in(body: str) -> str:
    """The path of the link in an email, which starts with SITE_URL."""
    return re.search(re.escape(settings.SITE_URL) + r"(/\S+/)", body).group(1)


def test_an_officer_who_forgot_their_password_chooses_a_new_one(client, settings, officer_savoie):
    settings.TASKS = IMMEDIATE_TASKS
    officer_savoie.email = "marie@savoie.example"
    officer_savoie.save()

    login = client.get("/fr/accounts/login/").content.decode()
    sent = client.post("/fr/accounts/password/reset/", {"email": "marie@savoie.example"})

    assert 'href="/fr/accounts/password/reset/"' in login
    assert sent.status_code == 302
    assert sent["Location"] == "/fr/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Regard croisé : choisissez un nouveau mot de passe"
    assert "pour le compte « officer-savoie »" in message.body
    form = client.get(link_in(message.body), follow=True)
    assert "Choisissez votre mot de passe" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert done["Location"] == "/fr/accounts/password/reset/done/"
    officer_savoie.refresh_from_db()
    assert officer_savoie.check_password(NEW_PASSWORD)
    again = client.get(link_in(message.body), follow=True).content.decode()
    assert "Ce lien ne fonctionne pas" in again  # once only


def test_the_reset_page_tells_nothing_about_unknown_addresses(client, settings):
    settings.TASKS = IMMEDIATE_TASKS

    response = client.post("/fr/accounts/password/reset/", {"email": "nobody@example.org"})

    assert response.status_code == 302  # the same answer as for a known address
    assert response["Location"] == "/fr/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_the_reset_email_waits_for_the_worker(client, settings, officer_savoie):
    settings.TASKS = DUMMY_TASKS  # enqueued, not run
    officer_savoie.email = "marie@savoie.example"
    officer_savoie.save()

    client.post("/fr/accounts/password/reset/", {"email": "marie@savoie.example"})

    assert mail.outbox == []
    # …but is waiting for it: the worker writes Marie's email, in French.
    queued = task_backends["default"].results
    assert [(result.task.name, result.kwargs) for result in queued] == [
        ("send_password_reset", {"email": "marie@savoie.example", "language": "fr"})
    ]


def test_an_administrator_invites_a_new_officer_in_their_language(client, settings, administrator):
    settings.TASKS = IMMEDIATE_TASKS
    settings.SITE_URL = "https://regard-croise.example"  # the link leads to the site's address
    newcomer = user_with_role("fatou", Profile.Role.OFFICER, savoie(), email="fatou@example.org")
    newcomer.set_unusable_password()
    newcomer.save()
    Profile.objects.filter(user=newcomer).update(language="en")
    no_address = user_with_role("sans-adresse", Profile.Role.OFFICER, savoie())
    client.force_login(administrator)

    response = client.post(
        "/fr/admin/auth/user/",
        {"action": "invite", "_selected_action": [newcomer.pk, no_address.pk]},
        follow=True,
    )

    page = response.content.decode().replace("\xa0", " ")
    assert "Invitation envoyée à : fatou." in page
    assert "Pas d’invitation pour sans-adresse" in page
    assert [message.to for message in mail.outbox] == [["fatou@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "You are invited to Regard croisé"
    assert "Your username is “fatou”" in message.body
    link = link_in(message.body)
    assert link.startswith("/en/accounts/password/reset/")
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert get_user_model().objects.get(username="fatou").check_password(NEW_PASSWORD)
