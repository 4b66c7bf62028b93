"""An elected official reads, in the annual restitution, what the year did for each territory's
own objective (« pour la Savoie, envisager davantage d'implication citoyenne… ; pour Bignona,
développer une action sociale de proximité… »): the objective, then the changes the territory
recorded, its lines of action by stage and the exchanges it hosted and sent — all counted from
the data, so that a change recorded on one side moves that side only."""

import datetime

import pytest
from django.db.models import F

from exchanges.models import PolicyChange
from partners.models import SpecificObjective, Territory
from reporting.content import restitution_content
from reporting.document import render_edition
from reporting.models import Restitution
from tests.reporting_factories import html_text

pytestmark = pytest.mark.django_db

HEADING = {
    "fr": "Résultats au regard des objectifs spécifiques",
    "en": "Results against the specific objectives",
}


@pytest.fixture
def demo(demo_data):
    return Restitution.objects.select_related("partnership").get(year=2016)


def _text(restitution, edition: str) -> str:
    html = render_edition(restitution_content(restitution), edition=edition, format="html")
    return html_text(html).replace("\u2019", "'")


@pytest.mark.parametrize("edition", ["fr", "en"])
def test_the_chapter_sets_each_territorys_objective_against_its_year(demo, edition):
    text = _text(demo, edition)

    assert HEADING[edition] in text
    for objective in SpecificObjective.objects.filter(partnership=demo.partnership):
        wording = getattr(objective, f"text_{edition}") or objective.text_fr
        assert wording.replace("\u2019", "'") in text
    hosted = "Échanges accueillis en 2016" if edition == "fr" else "Exchanges hosted in 2016"
    assert text.count(hosted) == 2  # one row a territory
    assert ("illustratif" if edition == "fr" else "illustrative") in text.lower()


def test_the_figures_are_counted_from_the_years_data(demo):
    results = {r.territory.slug: r for r in restitution_content(demo).objectives}
    exchanges = demo.partnership.exchanges.filter(start_date__year=2016, deleted_at=None)

    for slug, result in results.items():
        assert result.hosted == exchanges.filter(host_territory__slug=slug).count()
        # a delegation sent travelled: a local exchange (visiting its own host) is not one
        sent = exchanges.filter(visiting_territory__slug=slug).exclude(
            host_territory=F("visiting_territory")
        )
        assert result.sent == sent.count()
        recorded = PolicyChange.objects.filter(territory__slug=slug, date__year=2016)
        assert [c.pk for c in result.changes] == list(
            recorded.order_by("date", "pk").values_list("pk", flat=True)
        )
        assert sum(stage.count for stage in result.tracks) > 0


def test_a_change_recorded_on_one_side_moves_that_side_only(demo):
    before = {r.territory.slug: r for r in restitution_content(demo).objectives}
    PolicyChange.objects.create(
        partnership=demo.partnership,
        territory=Territory.objects.get(slug="bignona"),
        title_fr="Une permanence sociale dans chaque commune",
        title_en="A social services desk in every commune",
        date=datetime.date(2016, 11, 15),
        stage=PolicyChange.Stage.ENVISAGED,
        origin=PolicyChange.Origin.OWN,
        illustrative=True,
    )

    after = {r.territory.slug: r for r in restitution_content(demo).objectives}

    assert len(after["bignona"].changes) == len(before["bignona"].changes) + 1
    assert len(after["savoie"].changes) == len(before["savoie"].changes)
    assert "A social services desk in every commune" in _text(demo, "en")


def test_no_chapter_without_specific_objectives(demo):
    SpecificObjective.objects.all().delete()

    assert restitution_content(demo).objectives == []
    assert HEADING["fr"] not in _text(demo, "fr")
