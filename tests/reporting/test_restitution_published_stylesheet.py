"""A published HTML edition keeps the stylesheet it was published with: a later report.css (a
new release, a new server) changes the drafts and the next versions, never an old edition."""

import hashlib
from pathlib import Path

import pytest

from reporting.services import restitution_publish
from tests.reporting_factories import RestitutionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_publishing")]

REPORT_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "report.css"


@pytest.fixture
def published(partnership, administrator):
    restitution = RestitutionFactory(partnership=partnership)
    restitution_publish(restitution=restitution, user=administrator, background=False)
    return restitution


@pytest.fixture
def new_release(settings, tmp_path):
    """report.css as a later release has it, importing a second file."""
    static = tmp_path / "new-release"
    (static / "css").mkdir(parents=True)
    (static / "css" / "report.css").write_text('@import url("tables.css");\nh2 { color: red; }\n')
    (static / "css" / "tables.css").write_text("table { border: 0; }\n")
    settings.STATICFILES_DIRS = [static, *settings.STATICFILES_DIRS]


def test_the_published_html_links_to_its_own_copy_of_the_stylesheet(
    client, published, elected_official
):
    client.force_login(elected_official)

    html = client.get("/fr/restitutions/2016/").getvalue().decode()
    stylesheet = client.get("/fr/restitutions/2016/versions/1/report.css")

    assert '<link rel="stylesheet" href="/fr/restitutions/2016/versions/1/report.css">' in html
    assert stylesheet.status_code == 200
    assert stylesheet["Content-Type"] == "text/css; charset=utf-8"
    css = stylesheet.getvalue()
    assert css == REPORT_CSS.read_bytes()
    assert stylesheet["ETag"] == f'"{hashlib.sha256(css).hexdigest()}"'


def test_an_old_edition_keeps_its_look_after_report_css_changes(
    client, published, administrator, elected_official, new_release
):
    client.force_login(elected_official)
    old_html = client.get("/fr/restitutions/2016/versions/1/fr.html").getvalue()

    restitution_publish(restitution=published, user=administrator, background=False)

    assert client.get("/fr/restitutions/2016/versions/1/report.css").getvalue() == (
        REPORT_CSS.read_bytes()
    )
    assert client.get("/fr/restitutions/2016/versions/1/fr.html").getvalue() == old_html
    new_css = client.get("/fr/restitutions/2016/versions/2/report.css").getvalue().decode()
    assert new_css == "table { border: 0; }\n\nh2 { color: red; }\n"  # the import inlined
    new_html = client.get("/fr/restitutions/2016/versions/2/fr.html").getvalue().decode()
    assert 'href="/fr/restitutions/2016/versions/2/report.css"' in new_html


def test_the_live_draft_links_to_the_current_stylesheet(client, published, officer_savoie):
    client.force_login(officer_savoie)

    html = client.get("/fr/restitutions/2016/?draft=1").content.decode()

    assert '<link rel="stylesheet" href="/static/css/report.css">' in html
