"""A refused page (403) writes one warning line to the log, with the address and who asked,
not a traceback."""

import io
import logging

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def log():
    """What the console handler of LOGGING writes."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)


def test_a_refused_page_is_one_line_in_the_log(client, elected_official, log):
    client.force_login(elected_official)

    response = client.get(reverse("exchange_to_write"))

    assert response.status_code == 403
    assert log.getvalue().splitlines() == [
        f"Forbidden (Permission denied): /fr/exchanges/to-write/ (user {elected_official.pk})"
    ]


def test_other_errors_keep_their_traceback(log):
    logging.getLogger("django.request").error("Boom", exc_info=RuntimeError("kept"))

    assert "RuntimeError: kept" in log.getvalue()
