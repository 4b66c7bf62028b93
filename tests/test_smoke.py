import pytest


@pytest.mark.django_db
def test_questionings_page_shows_a_paired_row(client, partnership):
    from tests.factories import QuestioningFactory, bignona

    savoie_side = QuestioningFactory(question_fr="Comment développer le réseautage ?")
    QuestioningFactory(topic=savoie_side.topic, territory=bignona(), question_fr="Et le RAC ?")
    response = client.get("/fr/questionings/")
    assert response.status_code == 200
    assert "Comment développer le réseautage ?" in response.content.decode()
