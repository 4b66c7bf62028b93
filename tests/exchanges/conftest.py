import pytest

from tests.factories import QuestioningFactory, WorkTrackFactory, bignona


@pytest.fixture
def savoie_track(partnership):
    return WorkTrackFactory(questioning=QuestioningFactory(topic__theme__partnership=partnership))


@pytest.fixture
def bignona_track(partnership):
    questioning = QuestioningFactory(topic__theme__partnership=partnership, territory=bignona())
    return WorkTrackFactory(questioning=questioning)


def change_form_data(**overrides) -> dict:
    data = {
        "territory": "",
        "title_fr": "Remettre l'isolement social au cœur de l'accompagnement",
        "title_en": "",
        "description_fr": "Un repère « isolement » dans chaque évaluation.",
        "description_en": "",
        "date": "2017-04-10",
        "stage": "decided",
        "origin": "other",
        "decision_reference": "",
        "people_reached": "",
        "version": "0",
    }
    data.update(overrides)
    return data
