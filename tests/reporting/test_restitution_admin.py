"""Administrators find the restitutions in the admin, with translation tabs and a publish
action; versions there are a read-only record."""

import pytest

from reporting.models import RestitutionVersion
from tests.reporting_factories import RestitutionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_publishing")]


def test_an_admin_edits_a_restitution_with_its_translation_tabs(client, administrator, partnership):
    restitution = RestitutionFactory(partnership=partnership)
    client.force_login(administrator)

    html = client.get(f"/fr/admin/reporting/restitution/{restitution.pk}/change/").content.decode()

    assert 'name="introduction_fr"' in html
    assert 'name="introduction_en"' in html


def test_the_admin_action_publishes_the_selected_restitutions(client, administrator, partnership):
    restitution = RestitutionFactory(partnership=partnership)
    client.force_login(administrator)

    response = client.post(
        "/fr/admin/reporting/restitution/",
        {"action": "publish", "_selected_action": [restitution.pk]},
    )

    assert response.status_code == 302
    version = RestitutionVersion.objects.get()
    assert (version.status, version.published_by) == ("done", administrator)
    assert client.get("/fr/admin/reporting/restitutionversion/").status_code == 200
    assert (
        client.get(f"/fr/admin/reporting/restitutionversion/{version.pk}/change/").status_code
        == 200
    )
