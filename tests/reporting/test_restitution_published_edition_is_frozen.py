"""Once published, elected officials get exactly the stored bytes, whatever changes later in
the data; the draft follows the data."""

import hashlib

import pytest

from exchanges.selectors import forget_key_figures
from reporting.models import RestitutionFile
from reporting.services import restitution_publish
from tests.reporting_factories import RestitutionFactory, year_of_exchanges

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_publishing")]


@pytest.mark.real_pdf
def test_a_published_edition_does_not_change_when_an_exchange_is_edited_afterwards(
    client, partnership, administrator, elected_official, officer_savoie
):
    exchange, *_ = year_of_exchanges(partnership)
    restitution = RestitutionFactory(partnership=partnership)
    restitution_publish(restitution=restitution, user=administrator, background=False)
    client.force_login(elected_official)
    before = {
        url: client.get(url).getvalue()
        for url in ("/fr/restitutions/2016/", "/en/restitutions/2016/pdf/")
    }

    exchange.title_fr = "Visite renommée après la publication"
    exchange.professionals_met_count = 40
    exchange.save()
    forget_key_figures(partnership.pk, {2016})  # what the exchange services do after a save

    html = client.get("/fr/restitutions/2016/")
    body = html.getvalue()
    assert body == before["/fr/restitutions/2016/"]
    assert (
        client.get("/en/restitutions/2016/pdf/").getvalue() == before["/en/restitutions/2016/pdf/"]
    )
    stored = RestitutionFile.objects.get(edition="fr", format="html")
    assert html["ETag"] == f'"{stored.sha256}"'
    assert hashlib.sha256(body).hexdigest() == stored.sha256
    assert "Visite renommée après la publication" not in body.decode()

    client.force_login(officer_savoie)
    draft = client.get("/fr/restitutions/2016/?draft=1").content.decode()
    assert "Visite renommée après la publication" in draft
    assert "<dd>50</dd>" in draft  # 40 + 5 + 5 professionals met


def test_the_draft_follows_the_data_until_it_is_published(client, partnership, officer_savoie):
    exchange, *_ = year_of_exchanges(partnership)
    RestitutionFactory(partnership=partnership)
    client.force_login(officer_savoie)
    assert "Visite d’un EHPAD n° 1" in client.get("/fr/restitutions/2016/").getvalue().decode()

    exchange.title_fr = "Une visite au nouveau titre"
    exchange.save()

    assert "Une visite au nouveau titre" in client.get("/fr/restitutions/2016/").getvalue().decode()


def test_a_tampered_file_is_never_served(client, partnership, administrator, elected_official):
    restitution = RestitutionFactory(partnership=partnership)
    restitution_publish(restitution=restitution, user=administrator, background=False)
    stored = RestitutionFile.objects.get(edition="fr", format="html")
    with open(stored.file.path, "ab") as file:
        file.write(b"<!-- changed on disk -->")
    client.raise_request_exception = False
    client.force_login(elected_official)

    assert client.get("/fr/restitutions/2016/").status_code == 500
