"""When a new version of a restitution is published, its editions rendered, each elected
official of the partnership gets one e-mail in their own language, written and sent by the
task worker, with links on the site's address; run again, the task sends nothing twice."""

import pytest
from django.core import mail

from core.models import OutgoingEmail
from partners.models import Profile
from reporting.notifications import notify_elected_officials
from reporting.services import restitution_publish
from tests.factories import bignona, user_with_role
from tests.reporting_factories import IMMEDIATE_TASKS, RestitutionFactory, year_of_exchanges

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_publishing")]


@pytest.fixture
def officials(partnership, elected_official):
    elected_official.email = "elu@savoie.example"
    elected_official.save()
    english = user_with_role(
        "elu-bignona-en", Profile.Role.ELECTED_OFFICIAL, bignona(), email="elu@bignona.example"
    )
    Profile.objects.filter(user=english).update(language="en")
    user_with_role("sans-adresse", Profile.Role.ELECTED_OFFICIAL, bignona(), email="")
    return elected_official, english


def _mail_to(address: str):
    return next(message for message in mail.outbox if message.to == [address])


def test_each_elected_official_gets_one_email_in_their_language_once_published(
    settings, partnership, administrator, officials, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE_TASKS
    settings.SITE_URL = "https://regard-croise.example"
    year_of_exchanges(partnership, exchanges=2)
    restitution = RestitutionFactory(partnership=partnership)

    with django_capture_on_commit_callbacks(execute=True):
        version = restitution_publish(restitution=restitution, user=administrator)

    version.refresh_from_db()
    assert version.status == version.Status.DONE
    assert sorted(m.to[0] for m in mail.outbox) == ["elu@bignona.example", "elu@savoie.example"]
    french, english = _mail_to("elu@savoie.example"), _mail_to("elu@bignona.example")
    assert french.subject == "Regard croisé : la restitution 2016 est publiée"
    assert "https://regard-croise.example/fr/restitutions/2016/" in french.body
    assert "La lire en ligne" in french.body
    assert english.subject == "Regard croisé: the 2016 restitution is published"
    assert "https://regard-croise.example/en/restitutions/2016/pdf/" in english.body
    assert "The bilingual PDF:" in english.body


def test_the_task_run_again_sends_nothing_twice_and_a_second_version_says_so(
    settings, partnership, administrator, officials, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE_TASKS
    year_of_exchanges(partnership, exchanges=2)
    restitution = RestitutionFactory(partnership=partnership)
    with django_capture_on_commit_callbacks(execute=True):
        first = restitution_publish(restitution=restitution, user=administrator)

    assert notify_elected_officials(version_id=first.pk) == 2  # the worker took it again
    assert len(mail.outbox) == 2
    assert OutgoingEmail.objects.count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        restitution_publish(restitution=restitution, user=administrator)

    assert len(mail.outbox) == 4
    assert [m.subject for m in mail.outbox[2:] if m.to == ["elu@bignona.example"]] == [
        "Regard croisé: a new version of the 2016 restitution (version 2)"
    ]
