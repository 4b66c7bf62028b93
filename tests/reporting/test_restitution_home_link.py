"""The home page leads members to the latest published restitution."""

import pytest

from reporting.services import restitution_publish
from tests.reporting_factories import RestitutionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_publishing")]


def test_an_elected_official_finds_the_latest_published_restitution_on_the_home_page(
    client, partnership, administrator, elected_official
):
    RestitutionFactory(partnership=partnership, year=2017)  # a draft: not linked
    published = RestitutionFactory(partnership=partnership, year=2016)
    restitution_publish(restitution=published, user=administrator, background=False)
    client.force_login(elected_official)

    html = client.get("/fr/").content.decode()

    assert 'href="/fr/restitutions/2016/"' in html
    assert 'href="/fr/restitutions/2017/"' not in html
    assert 'href="/fr/restitutions/"' in html  # the menu


def test_an_anonymous_visitor_gets_no_restitution_link(client, partnership, administrator):
    published = RestitutionFactory(partnership=partnership, year=2016)
    restitution_publish(restitution=published, user=administrator, background=False)

    html = client.get("/fr/").content.decode()

    assert "/fr/restitutions/" not in html
