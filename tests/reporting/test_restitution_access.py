"""Who reads a restitution: members only; drafts for officers and administrators; publishing
for administrators."""

import pytest

from reporting.models import RestitutionVersion
from reporting.services import restitution_publish
from tests.reporting_factories import RestitutionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_publishing")]

PAGES = [
    "/fr/restitutions/",
    "/fr/restitutions/2016/",
    "/fr/restitutions/2016/pdf/",
    "/fr/restitutions/2016/versions/",
    "/en/restitutions/2016/?edition=bilingual",
]
DRAFT_PAGES = PAGES[1:]
LIVE_DRAFT_PAGES = [page for page in DRAFT_PAGES if "/pdf/" not in page]  # the PDF: a task


@pytest.fixture
def draft(partnership):
    return RestitutionFactory(partnership=partnership, year=2016)


@pytest.fixture
def published(draft, administrator):
    restitution_publish(restitution=draft, user=administrator, background=False)
    return draft


@pytest.mark.parametrize("url", PAGES)
def test_an_anonymous_visitor_is_sent_to_login(client, draft, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/fr/accounts/login/?next=") or response[
        "Location"
    ].startswith("/en/accounts/login/?next=")


@pytest.mark.parametrize("url", DRAFT_PAGES)
def test_an_elected_official_cannot_see_a_draft(client, elected_official, draft, url):
    client.force_login(elected_official)

    response = client.get(url)

    assert response.status_code == 403


def test_an_elected_official_does_not_find_drafts_in_the_list(client, elected_official, draft):
    client.force_login(elected_official)

    html = client.get("/fr/restitutions/").content.decode()

    assert "/fr/restitutions/2016/" not in html


@pytest.mark.parametrize("user", ["officer_savoie", "officer_bignona", "administrator"])
@pytest.mark.parametrize("url", LIVE_DRAFT_PAGES)
def test_officers_and_administrators_read_the_live_draft(client, request, draft, user, url):
    client.force_login(request.getfixturevalue(user))

    response = client.get(url)

    assert response.status_code == 200
    # never kept by a shared cache (a proxy): only the reader's own browser may keep it
    assert response["Cache-Control"].startswith("private")


@pytest.mark.parametrize("user", ["officer_savoie", "officer_bignona", "administrator"])
def test_officers_and_administrators_are_sent_to_the_draft_pdf_being_prepared(
    client, request, draft, user
):
    client.force_login(request.getfixturevalue(user))

    response = client.get("/fr/restitutions/2016/pdf/")

    assert response.status_code == 302
    assert response["Location"].startswith("/fr/restitutions/2016/pdf/drafts/")


@pytest.mark.parametrize("url", PAGES)
def test_an_elected_official_reads_the_published_version(client, elected_official, published, url):
    client.force_login(elected_official)

    assert client.get(url).status_code == 200


def test_an_elected_official_cannot_ask_for_the_live_draft_of_a_published_year(
    client, elected_official, published
):
    client.force_login(elected_official)

    assert client.get("/fr/restitutions/2016/?draft=1").status_code == 403


def test_a_user_without_a_role_cannot_read_restitutions(client, published, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", password="x"))

    assert client.get("/fr/restitutions/2016/").status_code == 403


def test_an_officer_cannot_publish(client, officer_savoie, draft):
    client.force_login(officer_savoie)

    response = client.post("/fr/restitutions/2016/publish/")

    assert response.status_code == 403
    assert not RestitutionVersion.objects.exists()


def test_an_administrator_publishes_from_the_restitution_page(client, administrator, draft):
    client.force_login(administrator)
    page = client.get("/fr/restitutions/2016/versions/").content.decode()
    assert 'href="/fr/restitutions/2016/publish/"' in page  # the readiness check first

    response = client.post("/fr/restitutions/2016/publish/")

    assert response.status_code == 302
    version = RestitutionVersion.objects.get()
    assert (version.number, version.status, version.progress) == (1, "done", 100)
    assert version.published_by == administrator
    assert version.files.count() == 6


def test_opening_the_publish_page_publishes_nothing(client, administrator, draft):
    client.force_login(administrator)

    assert client.get("/fr/restitutions/2016/publish/").status_code == 200
    assert not RestitutionVersion.objects.exists()
