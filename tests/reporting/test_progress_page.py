"""The programme year by year (/fr/progress/): the key figures, the reciprocity index and its
parts, the changes of each side, as a page, JSON and CSV; published years only for anonymous
visitors; a fixed number of queries whatever the years and exchanges."""

import datetime

import pytest
from django.core.cache import cache

from exchanges.models import Exchange, PolicyChange
from observatory.models import WorkTrackProgress
from reporting.progress import index_chart
from tests.bad_input import publish_without_rendering
from tests.factories import (
    CrossViewFactory,
    ExchangeFactory,
    QuestioningFactory,
    WorkTrackFactory,
    bignona,
    savoie,
)
from tests.reporting_factories import RestitutionFactory

pytestmark = pytest.mark.django_db


def _year(partnership, year: int, *, savoie_visits: int = 1, bignona_visits: int = 1):
    """Delegations each way, each exchange with both sides' views."""
    for n in range(savoie_visits):
        exchange = ExchangeFactory(
            partnership=partnership,
            start_date=datetime.date(year, 3, 1 + n % 27),
            host_territory=bignona(),
            visiting_territory=savoie(),
            professionals_met_count=2,
        )
        CrossViewFactory(exchange=exchange, territory=savoie())
        CrossViewFactory(exchange=exchange, territory=bignona())
    for n in range(bignona_visits):
        exchange = ExchangeFactory(
            partnership=partnership,
            start_date=datetime.date(year, 6, 1 + n % 27),
            host_territory=savoie(),
            visiting_territory=bignona(),
            professionals_met_count=3,
        )
        CrossViewFactory(exchange=exchange, territory=savoie())


def _change(partnership, territory, year: int, origin="other") -> PolicyChange:
    return PolicyChange.objects.create(
        partnership=partnership,
        territory=territory,
        title_fr=f"Changement {territory.slug} {year}",
        date=datetime.date(year, 9, 1),
        stage=PolicyChange.Stage.DECIDED,
        origin=origin,
        illustrative=True,
    )


@pytest.fixture
def programme(partnership, administrator):
    _year(partnership, 2016, savoie_visits=1, bignona_visits=2)
    _year(partnership, 2017, savoie_visits=2, bignona_visits=1)
    _change(partnership, savoie(), 2016)
    _change(partnership, bignona(), 2016)
    _change(partnership, savoie(), 2017)
    track = WorkTrackFactory(questioning=QuestioningFactory(topic__theme__partnership=partnership))
    WorkTrackProgress.objects.create(work_track=track, year=2016, stage="in_progress")
    publish_without_rendering(RestitutionFactory(partnership=partnership, year=2016), administrator)
    return partnership


def test_the_json_has_the_agreed_shape_and_the_figures_of_each_year(
    client, programme, elected_official
):
    client.force_login(elected_official)

    data = client.get("/en/progress/?format=json").json()

    assert set(data) == {"partnership", "years"}
    assert [year["year"] for year in data["years"]] == [2016, 2017]
    first = data["years"][0]
    assert set(first) == {"year", "reciprocity_index", "parts", "key_figures", "changes"}
    assert set(first["parts"]) == {"delegations", "both_views", "changes", "work_tracks"}
    # 1 Savoie → Bignona, 2 Bignona → Savoie: 2·1/3; 1 of 3 exchanges with both views;
    # one change each side; one Savoie line moved, none of Bignona's.
    assert first["parts"]["delegations"]["value"] == pytest.approx(2 / 3, abs=1e-4)
    assert first["parts"]["both_views"]["value"] == pytest.approx(1 / 3, abs=1e-4)
    assert first["parts"]["changes"]["value"] == 1
    assert first["parts"]["work_tracks"]["value"] == 0
    assert first["reciprocity_index"] == round((2 / 3 + 1 / 3 + 1 + 0) / 4, 2)
    assert first["key_figures"]["exchanges"] == 3
    assert first["key_figures"]["professionals_met"] == 2 + 3 + 3
    assert first["changes"] == {"Savoie": 1, "Bignona": 1}
    assert data["years"][1]["changes"] == {"Savoie": 1, "Bignona": 0}


def test_a_change_on_one_side_moves_the_index(client, programme, officer_bignona):
    client.force_login(officer_bignona)
    before = client.get("/en/progress/?format=json").json()["years"][1]
    assert before["parts"]["changes"]["value"] == 0  # only Savoie changed in 2017

    _change(programme, bignona(), 2017)

    after = client.get("/en/progress/?format=json").json()["years"][1]
    assert after["parts"]["changes"]["value"] == 1
    assert after["reciprocity_index"] > before["reciprocity_index"]
    assert after["changes"] == {"Savoie": 1, "Bignona": 1}


def test_a_side_written_by_an_officer_counts_at_once(client, programme, officer_bignona):
    client.force_login(officer_bignona)
    before = client.get("/en/progress/?format=json").json()["years"][1]
    assert before["parts"]["both_views"]["value"] == pytest.approx(2 / 3, abs=1e-4)
    visit = Exchange.objects.get(  # the 2017 visit carrying Savoie's view only
        start_date__year=2017, visiting_territory=bignona()
    )

    response = client.post(
        f"/fr/exchanges/{visit.pk}/cross-views/bignona/", {"text_fr": "Retenu.", "version": "0"}
    )

    assert response.status_code == 302
    after = client.get("/en/progress/?format=json").json()["years"][1]
    assert after["parts"]["both_views"]["value"] == 1
    assert after["reciprocity_index"] > before["reciprocity_index"]


def test_a_change_of_our_own_idea_does_not_count_as_reciprocity(client, programme, officer_bignona):
    client.force_login(officer_bignona)
    _change(programme, bignona(), 2017, origin="own")
    year = client.get("/en/progress/?format=json").json()["years"][1]
    assert year["parts"]["changes"]["value"] == 0
    assert year["changes"] == {"Savoie": 1, "Bignona": 1}


def test_anonymous_visitors_see_the_published_years_only(client, programme):
    data = client.get("/fr/progress/?format=json").json()
    assert [year["year"] for year in data["years"]] == [2016]
    page = client.get("/fr/progress/").content.decode()
    assert "2016" in page
    assert "Changement savoie 2017" not in page


def test_the_page_draws_the_index_with_a_text_alternative(client, programme, elected_official):
    client.force_login(elected_official)
    response = client.get("/en/progress/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<svg viewBox="0 0 360' in html
    assert 'role="img"' in html
    assert "Reciprocity index by year" in html
    assert "2016: 0.50" in html
    assert "Changement bignona 2016" in html
    assert "illustrative" in html


def test_the_french_page_names_savoie_with_its_article_and_typesets_the_summary(
    client, programme, elected_official
):
    client.force_login(elected_official)
    html = client.get("/fr/progress/").content.decode()

    assert "Changements enregistrés par la Savoie" in html
    assert "Changements enregistrés par Bignona" in html
    assert "Pistes de travail de la Savoie par stade" in html
    # « 2016 : 0,50 ; 2017 : … », as the French text around it.
    assert "2016\u00a0: 0,50\u202f; 2017\u00a0:" in html


def test_the_csv_has_one_row_per_year(client, programme, elected_official):
    client.force_login(elected_official)
    response = client.get("/fr/progress/?format=csv")
    rows = response.content.decode("utf-8-sig").strip().splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert [row.split(";")[0] for row in rows[1:]] == ["2016", "2017"]
    assert rows[1].split(";")[2] == "0.50"


def test_the_index_chart_is_drawn_to_scale():
    class Year:
        def __init__(self, year, index):
            self.year, self.index = year, index

    chart = index_chart([Year(2016, 0.5), Year(2017, 1.0), Year(2018, None)])
    heights = [column.height for column in chart["columns"]]
    assert heights[1] == 2 * heights[0]
    assert heights[2] == 0


# Counted (nothing kept: just after an exchange changed) and with the key figures kept.
QUERIES_COUNTING = 13
QUERIES_KEPT = 9


@pytest.mark.parametrize(
    ("years", "visits"), [((2016,), 1), ((2016, 2017, 2018), 1), ((2016, 2017, 2018), 12)]
)
def test_the_page_reads_a_fixed_number_of_queries(
    client, partnership, elected_official, administrator, django_assert_num_queries, years, visits
):
    for year in years:
        _year(partnership, year, savoie_visits=visits, bignona_visits=visits)
        _change(partnership, savoie(), year)
        _change(partnership, bignona(), year)
        publish_without_rendering(
            RestitutionFactory(partnership=partnership, year=year), administrator
        )
    client.force_login(elected_official)
    client.get("/fr/progress/")  # the session and the user, once

    for page in ("/fr/progress/", "/fr/progress/?format=json"):
        cache.clear()
        with django_assert_num_queries(QUERIES_COUNTING):
            response = client.get(page)
        assert response.status_code == 200
        with django_assert_num_queries(QUERIES_KEPT):
            client.get(page)
