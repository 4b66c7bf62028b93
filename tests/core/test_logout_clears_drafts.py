"""Logging out removes the unsent drafts kept in this browser: another person may use it."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_logout_asks_the_browser_to_clear_the_sites_storage(client, officer_savoie):
    client.force_login(officer_savoie)

    response = client.post("/fr/accounts/logout/")

    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"storage"'


def test_the_page_after_the_logout_has_drafts_js_clear_them(client, officer_savoie, partnership):
    client.force_login(officer_savoie)

    response = client.post("/en/accounts/logout/", follow=True)

    html = response.content.decode()
    assert "data-clear-drafts" in html
    assert "/static/js/drafts.js" in html
    assert "The unsent drafts were removed from this browser." in html


def test_no_other_page_clears_the_drafts(client, officer_savoie, partnership):
    client.force_login(officer_savoie)

    response = client.get("/fr/exchanges/new/")

    assert "data-clear-drafts" not in response.content.decode()
    assert "Clear-Site-Data" not in response
