"""A page's address opened with a method it does not take (a GET on an address that only
receives a form) shows the site's page, in the address's language, never a blank one."""

import pytest
from django.http import HttpResponseNotAllowed

from core.middleware import MethodNotAllowedPageMiddleware

pytestmark = pytest.mark.django_db


def test_a_get_on_a_form_only_address_explains_in_french(client, officer_savoie, visit):
    client.force_login(officer_savoie)

    response = client.get("/fr/accounts/logout/")

    page = response.content.decode()
    assert response.status_code == 405
    assert response["Allow"] == "POST, OPTIONS"
    assert "<h1>Cette adresse n’ouvre pas de page</h1>" in page
    assert "Rien n’a été enregistré" in page
    assert 'href="/fr/"' in page  # the way back home, with the site's menu around it
    assert "Se déconnecter" in page  # still logged in: the menu says so
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private"


def test_a_get_on_a_form_only_address_explains_in_english(client, officer_savoie, visit):
    client.force_login(officer_savoie)

    response = client.get(f"/en/exchanges/{visit.pk}/attachments/uploads/")

    assert response.status_code == 405
    assert "<h1>This address does not open a page</h1>" in response.content.decode()


def test_a_405_that_says_something_is_left_as_it_is(rf):
    """An answer that already explains itself (JSON to the outbox) keeps its own words."""
    said = HttpResponseNotAllowed(["POST"], content=b'{"state": "refused"}')

    response = MethodNotAllowedPageMiddleware(lambda request: said)(rf.get("/fr/"))

    assert response is said
