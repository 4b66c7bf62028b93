"""Personal data: the CSV export travels by email, so it names no one, whoever downloads it;
members see on the exchange's page who logged it, to know whom to ask."""

import pytest

from partners.models import Contact, Organisation
from tests.factories import AttachmentFactory, CrossViewFactory, ExchangeFactory, bignona

pytestmark = pytest.mark.django_db


@pytest.fixture
def authored_visit(partnership, officer_savoie, officer_bignona, media_root):
    """A visit logged and changed by named officers, with a cross view and a photo, and a
    contact of the partnership in the admin."""
    officer_savoie.first_name, officer_savoie.last_name = "Awa", "Diatta"
    officer_savoie.email = "awa.diatta@example.org"
    officer_savoie.save()
    officer_bignona.first_name, officer_bignona.last_name = "Lamine", "Sagna"
    officer_bignona.email = "lamine.sagna@example.org"
    officer_bignona.save()
    Contact.objects.create(
        organisation=Organisation.objects.create(slug="dept", name_fr="Département"),
        full_name="Isabelle Contact",
        email="isabelle.contact@example.org",
        phone="+33 4 79 00 00 00",
    )
    visit = ExchangeFactory(
        title_fr="Visite à Chambéry", created_by=officer_savoie, updated_by=officer_bignona
    )
    CrossViewFactory(exchange=visit, territory=bignona(), updated_by=officer_bignona)
    AttachmentFactory(exchange=visit, uploaded_by=officer_bignona)
    return visit


PERSONAL = [
    "Awa",
    "Diatta",
    "awa.diatta@example.org",
    "officer-savoie",
    "Lamine",
    "Sagna",
    "lamine.sagna@example.org",
    "officer-bignona",
    "Isabelle Contact",
    "isabelle.contact@example.org",
    "+33 4 79 00 00 00",
]


@pytest.mark.parametrize(
    "who", ["officer_savoie", "officer_bignona", "elected_official", "administrator"]
)
def test_the_csv_export_names_no_one_whoever_downloads_it(client, request, authored_visit, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get("/fr/exchanges/export.csv")

    csv = response.getvalue().decode("utf-8-sig")  # streamed
    assert response.status_code == 200
    assert "Visite à Chambéry" in csv
    assert [word for word in PERSONAL if word in csv] == []


def test_members_see_who_logged_an_exchange_but_never_a_contacts_details(
    client, elected_official, authored_visit
):
    client.force_login(elected_official)

    html = client.get(f"/fr/exchanges/{authored_visit.pk}/").content.decode()

    assert "Awa Diatta" in html
    assert "Lamine Sagna" in html
    assert "awa.diatta@example.org" not in html
    assert "isabelle.contact@example.org" not in html
