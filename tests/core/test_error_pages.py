"""When something is missing or breaks, the visitor reads why, in their language."""

import pytest
from django.test import Client
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

pytestmark = pytest.mark.django_db


def broken_view(request):
    raise RuntimeError("boom")


urlpatterns = [path("fr/broken/", broken_view), *site_urlpatterns]


def test_a_missing_page_says_so_in_french(client, partnership):
    response = client.get("/fr/no-such-page/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_a_missing_page_says_so_in_english(client, partnership):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.urls(__name__)
def test_a_server_error_shows_a_translated_page_that_reassures(settings, partnership):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)

    response = client.get("/fr/broken/")

    assert response.status_code == 500
    assert "Une erreur s’est produite de notre côté" in response.content.decode()
