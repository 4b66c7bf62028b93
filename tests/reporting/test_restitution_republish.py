"""Republishing makes a new version and keeps the old one downloadable, byte for byte."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from reporting.models import RestitutionVersion
from reporting.services import restitution_publish
from tests.reporting_factories import RestitutionFactory, year_of_exchanges

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_publishing")]


def test_republishing_makes_version_2_and_keeps_version_1_downloadable(
    client, partnership, administrator, elected_official
):
    exchange, *_ = year_of_exchanges(partnership)
    restitution = RestitutionFactory(partnership=partnership)
    first = restitution_publish(restitution=restitution, user=administrator, background=False)
    client.force_login(elected_official)
    v1_pdf = client.get("/fr/restitutions/2016/versions/1/fr.pdf").getvalue()
    exchange.title_fr = "Titre de la version 2"
    exchange.save()

    client.force_login(administrator)
    response = client.post("/fr/restitutions/2016/publish/")

    assert response.status_code == 302
    second = RestitutionVersion.objects.get(number=2)
    assert second.status == "done"
    client.force_login(elected_official)
    assert "Titre de la version 2" in client.get("/fr/restitutions/2016/").getvalue().decode()
    old = client.get("/fr/restitutions/2016/versions/1/fr.html").getvalue().decode()
    assert "Titre de la version 2" not in old
    assert client.get("/fr/restitutions/2016/versions/1/fr.pdf").getvalue() == v1_pdf
    assert hashlib.sha256(v1_pdf).hexdigest() == first.files.get(edition="fr", format="pdf").sha256
    versions_page = client.get("/fr/restitutions/2016/versions/").content.decode()
    assert "/fr/restitutions/2016/versions/1/fr.pdf" in versions_page
    assert "/fr/restitutions/2016/versions/2/bilingual.html" in versions_page


def test_a_second_publication_waits_for_the_one_being_rendered(partnership, administrator):
    restitution = RestitutionFactory(partnership=partnership)
    # pending, and recent enough not to be taken as abandoned
    RestitutionVersion.objects.create(
        restitution=restitution, number=1, published_at=timezone.now()
    )

    with pytest.raises(ValidationError):
        restitution_publish(restitution=restitution, user=administrator, background=False)
    assert RestitutionVersion.objects.count() == 1


def test_an_unknown_version_or_edition_is_not_found(client, partnership, administrator):
    restitution = RestitutionFactory(partnership=partnership)
    restitution_publish(restitution=restitution, user=administrator, background=False)
    client.force_login(administrator)

    assert client.get("/fr/restitutions/2016/versions/9/fr.pdf").status_code == 404
    assert client.get("/fr/restitutions/2016/versions/1/de.pdf").status_code == 404
    assert client.get("/fr/restitutions/2016/versions/1/fr.docx").status_code == 404
