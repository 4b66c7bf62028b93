"""The 2017 edition tells what each territory changed thanks to the other (the focus chapter),
the reciprocity index with its parts and its trend, and each key figure against 2016; the
programme's last year (2018) adds the three years. From the demo data, rendered with the fast
fake PDF renderer (its text is the HTML's)."""

import datetime

import pytest

from exchanges.models import Exchange, PolicyChange
from partners.models import Territory
from reporting.content import PROGRAMME_LENGTH, programme_years, restitution_content
from reporting.document import render_edition
from reporting.models import Restitution
from tests.reporting_factories import html_text, pdf_text

pytestmark = pytest.mark.django_db

FOCUS = {
    "fr": "L'évolution des politiques sociales sur les deux territoires grâce au regard croisé",
    "en": "How social policies changed on both territories thanks to the cross view",
}


@pytest.fixture
def demo(demo_data):
    return Restitution.objects.select_related("partnership").get(year=2017)


def _edition(restitution, edition: str, format: str = "html") -> str:
    data = render_edition(restitution_content(restitution), edition=edition, format=format)
    text = pdf_text(data) if format == "pdf" else html_text(data)
    return " ".join(text.replace("\u2019", "'").split())


@pytest.mark.parametrize("format", ["html", "pdf"])
@pytest.mark.parametrize("edition", ["fr", "en"])
def test_the_2017_edition_has_the_focus_chapter_and_the_index(demo, edition, format):
    text = _edition(demo, edition, format)

    assert text.count(FOCUS[edition]) >= 1
    for change in PolicyChange.objects.filter(date__year=2017):
        title = getattr(change, f"title_{edition}") or change.title_fr
        assert " ".join(title.replace("\u2019", "'").split()) in text
    index = "Indice de réciprocité" if edition == "fr" else "Reciprocity index"
    assert index in text
    assert ("illustratif" if edition == "fr" else "illustrative") in text.lower()


def test_the_focus_title_is_printed_once_as_the_chapter_heading_in_2016(demo_data):
    restitution = Restitution.objects.get(year=2016)
    html = render_edition(restitution_content(restitution), edition="fr", format="html").decode()
    # The typed title of 2016 heads the one focus chapter (and its line in the contents).
    assert html.count('id="focus-title"') == 1
    assert html.count("réelle réciprocité est due à plusieurs facteurs") == 1


def test_a_change_on_one_side_moves_the_index_and_the_focus_chapter(demo):
    before = restitution_content(demo)
    bignona = Territory.objects.get(slug="bignona")
    side = next(s for s in before.focus if s.territory == bignona)
    PolicyChange.objects.create(
        partnership=demo.partnership,
        territory=bignona,
        title_fr="Un comité de suivi des jeunes créateurs",
        title_en="A follow-up committee for young entrepreneurs",
        date=datetime.date(2017, 12, 1),
        stage=PolicyChange.Stage.DECIDED,
        origin=PolicyChange.Origin.OTHER,
        illustrative=True,
    ).exchanges.add(Exchange.objects.filter(start_date__year=2017).first())

    after = restitution_content(demo)

    moved = next(s for s in after.focus if s.territory == bignona)
    assert len(moved.changes) == len(side.changes) + 1
    assert moved.thanks_to_the_other == side.thanks_to_the_other + 1
    parts_before = {p.key: p for p in before.cross_view.this_year.reciprocity.parts}
    parts_after = {p.key: p for p in after.cross_view.this_year.reciprocity.parts}
    assert parts_after["changes"].counts != parts_before["changes"].counts
    assert parts_after["changes"].value != parts_before["changes"].value
    assert after.cross_view.this_year.index != before.cross_view.this_year.index
    text = _edition(demo, "en")
    assert "A follow-up committee for young entrepreneurs" in text
    assert f"{after.cross_view.this_year.index:.2f}" in text


def test_each_key_figure_says_how_it_moved_since_last_year(demo):
    content = restitution_content(demo)
    previous = restitution_content(Restitution.objects.get(year=2016))

    for name in ("professionals_met", "establishments_visited", "exchanges", "elected_officials"):
        since = content.cross_view.since[name]
        assert since.year == 2016
        assert since.delta == getattr(content.figures, name) - getattr(previous.figures, name)
    text = _edition(demo, "fr")
    exchanges = content.cross_view.since["exchanges"]
    expected = exchanges.signed + " depuis 2016" if exchanges.delta else "comme en 2016"
    assert expected in text


def test_the_programmes_first_year_has_no_since_last_year(demo_data):
    content = restitution_content(Restitution.objects.get(year=2016))

    assert content.cross_view.since == {}
    assert "depuis 2015" not in _edition(Restitution.objects.get(year=2016), "fr")


def test_the_programme_is_three_years_from_the_first_restitution(demo):
    assert programme_years(demo.partnership) == [2016, 2017, 2018]
    assert PROGRAMME_LENGTH == 3


def test_only_the_programmes_last_year_adds_the_three_year_view(demo):
    last = Restitution.objects.get(year=2018)
    content = restitution_content(last)

    assert [y.year for y in content.cross_view.three_years] == [2016, 2017, 2018]
    assert restitution_content(demo).cross_view.three_years == []
    assert "Les trois années du programme" in _edition(last, "fr")
    assert "The programme's three years" not in _edition(demo, "en")
    assert "The programme's three years" in _edition(last, "en")
