"""An officer records a change on their own territory, never on the other's; elected officials
read them; the same history, languages, partnership scoping, edit conflicts and outbox as the
exchanges."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from exchanges import change_permissions as permissions
from exchanges import change_services as services
from exchanges.models import PolicyChange
from exchanges.services import EditConflict
from tests.factories import (
    JPEG_BYTES,
    ExchangeFactory,
    PartnershipFactory,
    TerritoryFactory,
    bignona,
    savoie,
)

from .conftest import change_form_data

pytestmark = pytest.mark.django_db


def _values(**overrides):
    values = {
        "territory": savoie(),
        "title_fr": "Visites de convivialité",
        "title_en": "Friendly visits",
        "description_fr": "Des bénévoles du voisinage.",
        "description_en": "",
        "date": __import__("datetime").date(2017, 4, 10),
        "stage": PolicyChange.Stage.IN_PLACE,
        "origin": PolicyChange.Origin.OTHER,
        "decision_reference": "",
        "people_reached": 120,
    }
    values.update(overrides)
    return values


def test_officer_records_a_change_of_their_territory_with_its_links_and_history(
    client, partnership, officer_savoie, savoie_track
):
    exchange = ExchangeFactory(partnership=partnership, start_date="2017-02-13")
    client.force_login(officer_savoie)
    data = change_form_data(
        territory=savoie().pk,
        work_tracks=[savoie_track.pk],
        questionings=[savoie_track.questioning.pk],
        exchanges=[exchange.pk],
        people_reached="120",
    )

    response = client.post("/fr/changes/new/", data)

    change = PolicyChange.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/fr/changes/{change.pk}/"
    assert change.territory == savoie()
    assert change.partnership == partnership
    assert list(change.exchanges.all()) == [exchange]
    assert list(change.work_tracks.all()) == [savoie_track]
    assert change.people_reached == 120
    assert change.created_by == officer_savoie
    row = change.history.get()
    assert row.history_type == "+"
    assert row.history_user == officer_savoie
    page = client.get(f"/fr/changes/{change.pk}/")
    assert "Remettre l&#x27;isolement social" in page.content.decode()


def test_officer_cannot_record_a_change_of_the_other_territory(partnership, officer_bignona):
    with pytest.raises(PermissionDenied):
        services.change_create(author=officer_bignona, partnership=partnership, values=_values())
    assert not PolicyChange.objects.exists()


def test_the_form_offers_an_officer_their_own_territory_only(client, partnership, officer_bignona):
    client.force_login(officer_bignona)
    response = client.post("/fr/changes/new/", change_form_data(territory=savoie().pk))
    assert response.status_code == 200
    assert "territory" in response.context["form"].errors
    assert not PolicyChange.objects.exists()
    assert "Remettre l&#x27;isolement" in response.content.decode()  # what was typed is kept


def test_elected_official_reads_the_changes_but_records_none(
    client, partnership, officer_savoie, elected_official
):
    change = services.change_create(
        author=officer_savoie, partnership=partnership, values=_values()
    )
    client.force_login(elected_official)
    assert client.get("/fr/changes/").status_code == 200
    assert client.get(f"/fr/changes/{change.pk}/").status_code == 200
    assert client.get("/fr/changes/new/").status_code == 403
    assert client.post(f"/fr/changes/{change.pk}/delete/").status_code == 403
    assert PolicyChange.objects.filter(pk=change.pk).exists()


def test_another_partnerships_change_is_not_found(client, partnership, officer_savoie):
    isere, kolda = TerritoryFactory(slug="isere"), TerritoryFactory(slug="kolda")
    other = PartnershipFactory(
        slug="isere-kolda", name_fr="Isère – Kolda", territories=[isere, kolda]
    )
    change = PolicyChange.objects.create(
        partnership=other,
        territory=isere,
        title_fr="Autre",
        date="2017-01-01",
        stage="decided",
        origin="own",
    )
    client.force_login(officer_savoie)
    assert client.get(f"/fr/changes/{change.pk}/").status_code == 404
    assert client.post(f"/fr/changes/{change.pk}/delete/").status_code == 404


def test_bad_input_is_said_next_to_the_field_and_kept(client, partnership, officer_savoie):
    client.force_login(officer_savoie)
    data = change_form_data(territory=savoie().pk, title_fr="", date="2017-13-40", stage="")
    response = client.post("/fr/changes/new/", data)
    errors = response.context["form"].errors
    assert set(errors) >= {"title_fr", "date", "stage"}
    assert "Donnez un titre au changement, en français." in response.content.decode()
    assert not PolicyChange.objects.exists()


def test_two_saves_of_the_same_version_conflict(partnership, officer_savoie):
    change = services.change_create(
        author=officer_savoie, partnership=partnership, values=_values()
    )
    services.change_update(
        change=change, author=officer_savoie, expected_version=1, values=_values(stage="evaluated")
    )
    with pytest.raises(EditConflict) as raised:
        services.change_update(
            change=change,
            author=officer_savoie,
            expected_version=1,
            values=_values(stage="decided"),
        )
    change.refresh_from_db()
    assert change.stage == "evaluated"
    assert change.version == 2
    assert raised.value.current.pk == change.pk


def test_evidence_goes_through_the_attachment_checks(partnership, officer_savoie, media_root):
    bad = SimpleUploadedFile("deliberation.pdf", b"<svg onload=alert(1)>", "application/pdf")
    with pytest.raises(ValidationError) as raised:
        services.change_create(
            author=officer_savoie, partnership=partnership, values=_values(), evidence=bad
        )
    assert "evidence" in raised.value.message_dict
    assert not PolicyChange.objects.exists()
    photo = SimpleUploadedFile("photo.jpg", JPEG_BYTES, "image/jpeg")
    change = services.change_create(
        author=officer_savoie, partnership=partnership, values=_values(), evidence=photo
    )
    assert change.evidence_content_type == "image/jpeg"
    assert change.evidence.name.endswith(".jpg")


def test_the_outbox_gets_json_and_a_second_sending_saves_nothing(
    client, partnership, officer_savoie
):
    client.force_login(officer_savoie)
    key = str(uuid.uuid4())
    data = change_form_data(territory=savoie().pk, submission_key=key)

    first = client.post("/fr/changes/new/", data, headers={"X-Outbox": "1"})
    again = client.post("/fr/changes/new/", data, headers={"X-Outbox": "1"})
    refused = client.post(
        "/fr/changes/new/", change_form_data(title_fr=""), headers={"X-Outbox": "1"}
    )

    change = PolicyChange.objects.get()
    assert first.json() == {
        "state": "sent",
        "url": f"/fr/changes/{change.pk}/",
        "change": change.pk,
        "object": change.pk,
    }
    assert again.json()["change"] == change.pk
    assert refused.status_code == 422
    assert "title_fr" in refused.json()["errors"]


def test_officer_of_the_other_side_cannot_edit_a_change(
    partnership, officer_savoie, officer_bignona
):
    change = services.change_create(
        author=officer_savoie, partnership=partnership, values=_values()
    )
    assert permissions.refusal_to_edit_change(officer_bignona, change) is not None
    with pytest.raises(PermissionDenied):
        services.change_update(
            change=change,
            author=officer_bignona,
            expected_version=1,
            values=_values(territory=bignona()),
        )
