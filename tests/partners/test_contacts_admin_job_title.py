"""An administrator changing a contact in the admin types the job title once per language,
French and English, under the translation tabs: no third "Fonction" field beside them."""

import pytest

from partners.models import Contact
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact():
    return Contact.objects.create(
        organisation=OrganisationFactory(name_fr="Pays de Savoie Solidaires"),
        full_name="Awa Diatta",
        job_title_fr="Chargée de mission",
        job_title_en="Project officer",
    )


def test_the_contact_page_has_a_french_and_an_english_job_title_only(
    client, administrator, contact
):
    client.force_login(administrator)

    response = client.get(f"/fr/admin/partners/contact/{contact.pk}/change/")

    page = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["adminform"].form.fields) == [
        "organisation",
        "full_name",
        "job_title_fr",
        "job_title_en",
        "email",
        "phone",
        "public",
        "order",
    ]
    assert 'name="job_title"' not in page
    assert "Fonction [fr]" in page
    assert "Fonction [en]" in page
    assert "modeltranslation/js/tabbed_translation_fields.js" in page  # the tabs, as elsewhere


def test_the_organisation_page_lists_its_contacts_with_both_job_titles_only(
    client, administrator, contact
):
    client.force_login(administrator)

    response = client.get(f"/fr/admin/partners/organisation/{contact.organisation.pk}/change/")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="contacts-0-job_title_fr"' in page
    assert 'name="contacts-0-job_title_en"' in page
    assert 'name="contacts-0-job_title"' not in page


def test_a_contact_saved_from_the_admin_keeps_both_job_titles(client, administrator, contact):
    client.force_login(administrator)

    response = client.post(
        f"/fr/admin/partners/contact/{contact.pk}/change/",
        {
            "organisation": contact.organisation.pk,
            "full_name": "Awa Diatta",
            "job_title_fr": "Directrice",
            "job_title_en": "Director",
            "email": "",
            "phone": "",
            "order": 0,
        },
    )

    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.job_title_fr, contact.job_title_en) == ("Directrice", "Director")
