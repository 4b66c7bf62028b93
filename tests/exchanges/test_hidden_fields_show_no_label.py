"""An officer adding a photo reads only the fields they fill in, in their language: the
fields the page's script or the site fills in (the photo turned upright, the sending's key,
the version the form was opened on) are sent unseen, with no label."""

import html
import re

import pytest
from django.utils import translation

from exchanges.change_forms import PolicyChangeForm
from exchanges.forms import AttachmentForm, CrossViewForm
from reporting.forms import PublishForm

pytestmark = pytest.mark.django_db


def labels_of(page: str) -> list[str]:
    found = re.findall(r"<label\b.*?</label>", page, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", label)).strip(" :\xa0\n") for label in found]


def test_the_photo_form_shows_no_label_for_its_hidden_fields(client, officer_savoie, visit):
    client.force_login(officer_savoie)

    response = client.get(f"/fr/exchanges/{visit.pk}/attachments/new/")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'type="hidden" name="upright"' in page
    assert 'type="hidden" name="submission_key"' in page
    assert 'for="id_upright"' not in page
    assert 'for="id_submission_key"' not in page
    assert "Upright" not in page
    assert "Submission key" not in page
    assert labels_of(page) == [
        "Photo ou document",
        "Légende en français",
        "Légende en anglais (facultatif)",
        "Crédit",
        "Utiliser cette photo dans la restitution de l’année",
        "Garder le lieu de prise de vue",
    ]


@pytest.mark.parametrize("form", [AttachmentForm, CrossViewForm, PolicyChangeForm, PublishForm])
def test_every_hidden_field_has_a_french_label(form):
    """Hidden, but a screen reader's form list or an error names it: never in English."""
    for name, field in form.base_fields.items():
        if not field.widget.is_hidden:
            continue
        with translation.override("en"):
            english = str(field.label)
        with translation.override("fr"):
            french = str(field.label)
        assert field.label is not None, name
        assert french != english, name
