"""Bad query parameters (filters, cursors, years, editions) never break a page: it shows, with
a message for what it could not understand, or says not found."""

import pytest
from django.core.cache import cache
from hypothesis import given
from hypothesis import strategies as st

from tests.bad_input import FAST, ODD_VALUES, odd_or_missing, odd_value, query
from tests.factories import ExchangeFactory, StrandFactory, bignona
from tests.reporting_factories import RestitutionFactory

pytestmark = pytest.mark.django_db

LIST_PARAMETERS = ["q", "territory", "direction", "kind", "strand", "year", "after", "before"]


@pytest.fixture
def exchanges(partnership):
    strand = StrandFactory(partnership=partnership, slug="elderly")
    ExchangeFactory(title_fr="Visite à Chambéry", strands=[strand])
    ExchangeFactory(title_fr="Atelier à Bignona", host_territory=bignona(), start_date="2017-03-01")


@FAST
@given(
    params=st.dictionaries(
        st.sampled_from([*LIST_PARAMETERS, "page", "q\x00"]), odd_value, min_size=1, max_size=4
    ),
    url=st.sampled_from(["/fr/exchanges/", "/fr/exchanges/export.csv"]),
)
def test_the_list_and_its_csv_understand_or_ignore_any_filter(
    client, officer_savoie, exchanges, params, url
):
    client.force_login(officer_savoie)
    cache.clear()  # each example renders its list: the filterset is then in the context

    response = client.get(url + query(params))

    assert response.status_code == 200
    if url.endswith("/") and response.context["filterset"].errors:
        assert "Certains filtres" in response.content.decode()


@FAST
@given(year=odd_or_missing, who=st.sampled_from([None, "elected_official"]))
def test_the_home_page_shows_whatever_year_is_asked(client, request, exchanges, year, who):
    if who:
        client.force_login(request.getfixturevalue(who))

    response = client.get("/fr/" + query({"year": year}))

    assert response.status_code == 200


@pytest.fixture
def published(partnership, administrator, media_root):
    from tests.bad_input import publish_without_rendering

    restitution = RestitutionFactory(partnership=partnership, year=2016)
    publish_without_rendering(restitution, administrator, editions=("fr", "en", "bilingual"))
    return restitution


@FAST
@given(
    params=st.dictionaries(st.sampled_from(["edition", "draft", "format"]), odd_value, max_size=3),
    page=st.sampled_from(["", "pdf/", "versions/"]),
)
def test_a_restitution_shows_whatever_edition_is_asked(
    client, elected_official, published, params, page
):
    client.force_login(elected_official)

    response = client.get(f"/fr/restitutions/2016/{page}" + query(params))

    assert response.status_code in (200, 403)  # 403: an elected official asked for the draft
    if response.status_code == 403:
        assert params.get("draft") == "1"


def test_every_known_odd_value_in_every_parameter_at_once(
    client, elected_official, exchanges, published
):
    client.force_login(elected_official)
    pages = [
        "/fr/exchanges/",
        "/fr/exchanges/export.csv",
        "/fr/",
        "/fr/restitutions/2016/",
        "/fr/restitutions/2016/versions/",
    ]
    for odd in ODD_VALUES:
        everything = {name: odd for name in [*LIST_PARAMETERS, "edition", "draft"]}
        for page in pages:
            response = client.get(page + query(everything))
            assert response.status_code in (200, 403), (page, odd[:40])
