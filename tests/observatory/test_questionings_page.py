"""A visitor reads the paired questionings, Savoie and Bignona side by side."""

import pytest

from tests.factories import (
    OrganisationFactory,
    QuestioningFactory,
    TopicFactory,
    WorkTrackFactory,
    bignona,
    savoie,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def savoie_carries_the_project(partnership):
    from partners.models import PartnershipRole

    partnership.roles.create(
        organisation=OrganisationFactory(territory=savoie()), role=PartnershipRole.Role.CARRIER
    )


def paired_topic(name, savoie_question, bignona_question=None):
    topic = TopicFactory(name_fr=name)
    QuestioningFactory(topic=topic, territory=savoie(), question_fr=savoie_question)
    if bignona_question:
        QuestioningFactory(topic=topic, territory=bignona(), question_fr=bignona_question)
    return topic


def test_the_carrier_territory_comes_first_and_each_question_sits_in_its_column(
    client, savoie_carries_the_project
):
    paired_topic("Réseautage", "Question savoyarde ?", "Question de Bignona ?")

    html = client.get("/fr/questionings/").content.decode()

    assert html.index("Savoie</th>") < html.index("Bignona</th>")
    # French typography: a narrow no-break space before « ? » (core.typography)
    assert html.index("Question savoyarde\u202f?") < html.index("Question de Bignona\u202f?")


def test_a_topic_without_a_bignona_question_shows_an_empty_side_not_a_hole(
    client, savoie_carries_the_project
):
    paired_topic("Approche par les droits / par les besoins", "Quelle complémentarité ?")

    response = client.get("/en/questionings/")

    # French text (lang="fr") on the English page keeps its French typography (core.typography)
    assert "Quelle complémentarité\u202f?" in response.content.decode()
    assert "No guiding question on this side." in response.content.decode()


def test_work_tracks_show_with_their_status_and_year(client, savoie_carries_the_project):
    topic = paired_topic("Pouvoir d'agir", "Comment développer le pouvoir d'agir ?")
    WorkTrackFactory(
        questioning=topic.questionings.get(),
        title_fr="Groupes d'entraide",
        year=2017,
        status="in_progress",
    )

    html = client.get("/en/questionings/").content.decode()

    assert "Groupes d’entraide" in html  # the typographic apostrophe, by rule
    assert "In progress" in html
    assert "(2017)" in html


@pytest.mark.parametrize("topics", [1, 12])
def test_the_page_costs_the_same_queries_whatever_the_number_of_topics(
    client, savoie_carries_the_project, django_assert_num_queries, topics
):
    for n in range(topics):
        topic = paired_topic(f"Sujet {n}", f"Savoie {n} ?", f"Bignona {n} ?")
        WorkTrackFactory(questioning=topic.questionings.first())

    # partnership, territories (each marked when it carries the project), themes, topics,
    # questionings, tracks, lessons
    with django_assert_num_queries(7):
        assert client.get("/fr/questionings/").status_code == 200


def test_the_lessons_of_the_cross_view_are_grouped_by_kind(client, partnership):
    from observatory.models import Lesson

    partnership.lessons.create(kind=Lesson.Kind.OBSTACLE, title_fr="La force des habitudes")
    partnership.lessons.create(
        kind=Lesson.Kind.FACILITATING_FACTOR, title_fr="Un partenariat à long terme"
    )

    html = client.get("/en/questionings/").content.decode()

    assert html.index("Enabling factor") < html.index("Un partenariat à long terme")
    assert html.index("Obstacle to overcome") < html.index("La force des habitudes")
