"""An officer who opens the address of "Start a restitution" (typed, bookmarked, or sent back
to by the browser) lands on the list of restitutions, where the start form is, and nothing
is started."""

import pytest

from reporting.models import Restitution

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["fr", "en"])
def test_opening_the_start_address_leads_to_the_list(client, officer_savoie, visit, language):
    client.force_login(officer_savoie)

    response = client.get(f"/{language}/restitutions/start/", follow=True)

    assert response.redirect_chain == [(f"/{language}/restitutions/", 302)]
    assert response.status_code == 200
    assert f'action="/{language}/restitutions/start/"' in response.content.decode()
    assert not Restitution.objects.exists()


def test_a_visitor_who_is_not_logged_in_is_asked_to(client, visit):
    response = client.get("/fr/restitutions/start/")

    assert response.status_code == 302
    assert response["Location"].startswith("/fr/accounts/login/")
