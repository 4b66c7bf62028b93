"""Officers start a year's restitution and type its introduction and conclusion; the draft
shows it at once."""

import pytest

from reporting.models import Restitution
from tests.reporting_factories import RestitutionFactory, year_of_exchanges

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_publishing")]


def test_an_officer_starts_the_restitution_of_a_year_with_exchanges(
    client, partnership, officer_savoie
):
    year_of_exchanges(partnership, exchanges=1)
    client.force_login(officer_savoie)
    assert '<option value="2016">2016</option>' in client.get("/fr/restitutions/").content.decode()

    response = client.post("/fr/restitutions/start/", {"year": "2016"})

    assert response.status_code == 302
    assert response["Location"] == "/fr/restitutions/2016/edit/"
    restitution = Restitution.objects.get()
    assert (restitution.year, restitution.created_by) == (2016, officer_savoie)


def test_a_year_without_exchanges_cannot_be_started(client, partnership, officer_savoie):
    year_of_exchanges(partnership, exchanges=1)
    client.force_login(officer_savoie)

    client.post("/fr/restitutions/start/", {"year": "1990"})

    assert not Restitution.objects.exists()


def test_an_officer_writes_the_introduction_and_the_draft_shows_it(
    client, partnership, officer_bignona
):
    restitution = RestitutionFactory(partnership=partnership)
    client.force_login(officer_bignona)

    response = client.post(
        "/fr/restitutions/2016/edit/",
        {
            "introduction_fr": "Une année de visites croisées.",
            "introduction_en": "A year of crossed visits.",
            "conclusion_fr": "À suivre.",
            "conclusion_en": "",
        },
    )

    assert response.status_code == 302
    restitution.refresh_from_db()
    assert restitution.introduction_en == "A year of crossed visits."
    assert restitution.updated_by == officer_bignona
    english = client.get("/en/restitutions/2016/").getvalue().decode()
    assert "A year of crossed visits." in english
    assert '<div lang="fr" class="fallback"><p>À suivre.</p></div>' in english


def test_an_elected_official_cannot_edit(client, partnership, elected_official):
    RestitutionFactory(partnership=partnership)
    client.force_login(elected_official)

    assert client.get("/fr/restitutions/2016/edit/").status_code == 403
    assert client.post("/fr/restitutions/start/", {"year": "2016"}).status_code == 403
