import pytest

from tests.factories import QuestioningFactory, WorkTrackFactory


@pytest.fixture
def savoie_track(partnership):
    return WorkTrackFactory(questioning=QuestioningFactory(topic__theme__partnership=partnership))
