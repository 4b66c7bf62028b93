"""Several partnerships on one platform: the members of one never reach another's exchanges,
cross views, files, CSV rows or restitutions; a guessed id of another partnership's object is
not found, like an id that does not exist. Administrators reach every partnership."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from exchanges import services
from exchanges.models import Attachment, CrossView, Exchange
from partners.models import Profile
from reporting.services import restitution_update
from tests.factories import (
    JPEG_BYTES,
    AttachmentFactory,
    CrossThemeFactory,
    CrossViewFactory,
    ExchangeFactory,
    PartnershipFactory,
    QuestioningFactory,
    TerritoryFactory,
    TopicFactory,
    exchange_form_data,
    user_with_role,
)
from tests.reporting_factories import RestitutionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def isere():
    return TerritoryFactory(slug="isere", name_fr="Isère", country_fr="France")


@pytest.fixture
def kolda():
    return TerritoryFactory(slug="kolda", name_fr="Kolda", country_fr="Sénégal")


@pytest.fixture
def other_partnership(partnership, isere, kolda):
    """Hosted on the same platform after Savoie–Bignona (the `partnership` fixture)."""
    return PartnershipFactory(
        slug="isere-kolda", name_fr="Isère – Kolda", since_year=2000, territories=[isere, kolda]
    )


@pytest.fixture
def officer_isere(isere):
    return user_with_role("officer-isere", Profile.Role.OFFICER, isere)


@pytest.fixture
def their_exchange(other_partnership, isere, kolda, media_root):
    exchange = ExchangeFactory(
        partnership=other_partnership,
        title_fr="Visite secrète à Grenoble",
        host_territory=isere,
        visiting_territory=kolda,
    )
    CrossViewFactory(exchange=exchange, territory=isere, text_fr="Ce que retient l'Isère.")
    return exchange


@pytest.fixture
def their_file(their_exchange):
    return AttachmentFactory(exchange=their_exchange)


@pytest.fixture
def our_exchange(partnership, media_root):
    return ExchangeFactory(partnership=partnership, title_fr="Visite à Chambéry")


MEMBERS_OF_SAVOIE_BIGNONA = ["officer_savoie", "officer_bignona", "elected_official"]


@pytest.mark.parametrize("member", MEMBERS_OF_SAVOIE_BIGNONA)
def test_member_cannot_read_another_partnerships_exchange(client, request, member, their_exchange):
    client.force_login(request.getfixturevalue(member))

    response = client.get(f"/fr/exchanges/{their_exchange.pk}/")

    assert response.status_code == 404
    assert "Visite secrète" not in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/fr/exchanges/{pk}/edit/",
        "/fr/exchanges/{pk}/delete/",
        "/fr/exchanges/{pk}/cross-views/isere/",
        "/fr/exchanges/{pk}/attachments/new/",
    ],
)
def test_officer_cannot_open_a_form_of_another_partnerships_exchange(
    client, officer_savoie, their_exchange, path
):
    client.force_login(officer_savoie)

    assert client.get(path.format(pk=their_exchange.pk)).status_code == 404


def test_officer_cannot_attach_a_file_to_another_partnerships_exchange(
    client, officer_savoie, their_exchange
):
    client.force_login(officer_savoie)
    photo = SimpleUploadedFile("photo.jpg", JPEG_BYTES, content_type="image/jpeg")

    response = client.post(
        f"/fr/exchanges/{their_exchange.pk}/attachments/new/",
        {"file": photo, "caption_fr": "Intrusion"},
    )

    assert response.status_code == 404
    assert not Attachment.objects.filter(exchange=their_exchange).exists()


def test_officer_cannot_change_another_partnerships_exchange_or_its_cross_view(
    client, officer_savoie, their_exchange
):
    client.force_login(officer_savoie)
    edit = exchange_form_data(their_exchange, title_fr="Changé")
    side = {"text_fr": "Écrit par la Savoie", "version": "0"}

    assert client.post(f"/fr/exchanges/{their_exchange.pk}/edit/", edit).status_code == 404
    assert client.post(f"/fr/exchanges/{their_exchange.pk}/delete/").status_code == 404
    cross_view = f"/fr/exchanges/{their_exchange.pk}/cross-views/kolda/"
    assert client.post(cross_view, side).status_code == 404

    their_exchange.refresh_from_db()
    assert (their_exchange.title_fr, their_exchange.deleted_at) == (
        "Visite secrète à Grenoble",
        None,
    )
    assert not CrossView.objects.filter(exchange=their_exchange, territory__slug="kolda").exists()


@pytest.mark.parametrize("member", MEMBERS_OF_SAVOIE_BIGNONA)
def test_member_cannot_download_another_partnerships_file_nor_remove_it(
    client, request, member, their_file
):
    client.force_login(request.getfixturevalue(member))

    assert client.get(f"/fr/exchanges/attachments/{their_file.pk}/").status_code == 404
    assert client.post(f"/fr/exchanges/attachments/{their_file.pk}/delete/").status_code == 404
    assert Attachment.objects.filter(pk=their_file.pk).exists()


def test_the_list_and_the_csv_show_only_the_members_partnership(
    client, officer_savoie, officer_isere, our_exchange, their_exchange
):
    client.force_login(officer_savoie)
    listed = client.get("/fr/exchanges/").content.decode()
    exported = b"".join(client.get("/fr/exchanges/export.csv")).decode("utf-8-sig")
    assert "Visite à Chambéry" in listed
    assert "Visite à Chambéry" in exported
    assert "Visite secrète" not in listed
    assert "Visite secrète" not in exported

    client.force_login(officer_isere)
    listed = client.get("/fr/exchanges/").content.decode()
    exported = b"".join(client.get("/fr/exchanges/export.csv")).decode("utf-8-sig")
    assert "Visite secrète" in listed
    assert "Visite secrète" in exported
    assert "Visite à Chambéry" not in listed
    assert "Visite à Chambéry" not in exported


def test_the_other_partnerships_officer_works_on_their_own_exchange_only(
    client, officer_isere, our_exchange, their_exchange
):
    client.force_login(officer_isere)

    assert client.get(f"/fr/exchanges/{their_exchange.pk}/").status_code == 200
    assert client.get(f"/fr/exchanges/{our_exchange.pk}/").status_code == 404
    photo = SimpleUploadedFile("photo.jpg", JPEG_BYTES, content_type="image/jpeg")
    response = client.post(
        f"/fr/exchanges/{our_exchange.pk}/attachments/new/", {"file": photo, "caption_fr": "x"}
    )
    assert response.status_code == 404
    assert not Attachment.objects.filter(exchange=our_exchange).exists()


def test_administrator_reaches_every_partnership(
    client, administrator, our_exchange, their_exchange, their_file
):
    client.force_login(administrator)

    ours = client.get(f"/fr/exchanges/{our_exchange.pk}/")
    theirs = client.get(f"/fr/exchanges/{their_exchange.pk}/")
    file = client.get(f"/fr/exchanges/attachments/{their_file.pk}/")

    assert ours.status_code == 200
    assert theirs.status_code == 200
    assert file.status_code == 200
    assert "Visite à Chambéry" in ours.content.decode()
    page = theirs.content.decode()
    assert "Visite secrète à Grenoble" in page
    assert "Ce que retient l’Isère." in page
    assert b"".join(file.streaming_content) == JPEG_BYTES


def test_the_services_refuse_another_partnerships_exchange_whoever_calls_them(
    officer_savoie, their_exchange, their_file
):
    with pytest.raises(PermissionDenied):
        services.exchange_delete(exchange=their_exchange, author=officer_savoie)
    with pytest.raises(PermissionDenied):
        services.attachment_add(
            exchange=their_exchange,
            author=officer_savoie,
            file=SimpleUploadedFile("photo.jpg", JPEG_BYTES, content_type="image/jpeg"),
            caption_fr="Intrusion",
        )
    with pytest.raises(PermissionDenied):
        services.attachment_delete(attachment=their_file, author=officer_savoie)

    assert Exchange.objects.active().filter(pk=their_exchange.pk).exists()
    assert Attachment.objects.filter(pk=their_file.pk).exists()


@pytest.mark.parametrize("member", MEMBERS_OF_SAVOIE_BIGNONA)
def test_member_cannot_reach_another_partnerships_restitution(
    client, request, member, partnership, other_partnership
):
    """Restitutions are reached by year within the member's partnership: 2015 is Isère –
    Kolda's only."""
    RestitutionFactory(partnership=other_partnership, year=2015, introduction_fr="Secret 2015")
    client.force_login(request.getfixturevalue(member))

    for path in ["/fr/restitutions/2015/", "/fr/restitutions/2015/versions/"]:
        response = client.get(path)
        assert response.status_code == 404, path
    assert "2015" not in client.get("/fr/restitutions/").content.decode()


def test_officer_cannot_edit_another_partnerships_restitution(
    client, officer_savoie, partnership, other_partnership
):
    theirs = RestitutionFactory(partnership=other_partnership, year=2015, introduction_fr="À eux")
    client.force_login(officer_savoie)

    response = client.post("/fr/restitutions/2015/edit/", {"introduction_fr": "Changé"})

    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        restitution_update(
            restitution=theirs,
            user=officer_savoie,
            introduction_fr="Changé",
            introduction_en="",
            conclusion_fr="",
            conclusion_en="",
        )
    theirs.refresh_from_db()
    assert theirs.introduction_fr == "À eux"


def test_the_other_partnerships_officer_reads_their_own_restitution(
    client, officer_isere, partnership, other_partnership, monkeypatch
):
    # Which restitution answers is under test here, not what its live draft looks like.
    monkeypatch.setattr(
        "reporting.views.render_edition", lambda content, *, edition, format: b"draft"
    )
    RestitutionFactory(partnership=partnership, year=2016)
    RestitutionFactory(partnership=other_partnership, year=2015)
    client.force_login(officer_isere)

    assert client.get("/fr/restitutions/2015/").status_code == 200
    assert client.get("/fr/restitutions/2016/").status_code == 404


def test_a_member_without_a_territory_is_told_why_they_read_nothing(
    client, partnership, our_exchange
):
    someone = user_with_role("elu-sans-territoire", Profile.Role.ELECTED_OFFICIAL, None)
    client.force_login(someone)

    response = client.get("/fr/exchanges/")

    assert response.status_code == 403
    assert "rattaché à aucun territoire" in response.content.decode()
    assert client.get(f"/fr/exchanges/{our_exchange.pk}/").status_code == 404


def test_each_partnership_reads_its_own_paired_questionings(
    client, partnership, other_partnership, officer_isere, isere
):
    ours = TopicFactory(theme=CrossThemeFactory(partnership=partnership, name_fr="Vieillir ici"))
    QuestioningFactory(topic=ours, question_fr="Comment accueillir les aînés ?")
    theirs = TopicFactory(
        theme=CrossThemeFactory(partnership=other_partnership, name_fr="Grandir à Kolda")
    )
    QuestioningFactory(topic=theirs, territory=isere, question_fr="Comment loger les jeunes ?")

    client.force_login(officer_isere)
    their_page = client.get("/fr/questionings/").content.decode()
    client.logout()
    public_page = client.get("/fr/questionings/").content.decode()

    assert "Grandir à Kolda" in their_page
    assert "Vieillir ici" not in their_page
    assert "Vieillir ici" in public_page
    assert "Grandir à Kolda" not in public_page
