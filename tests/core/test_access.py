"""Who gets in where: login pages, the administration."""

import pytest

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "/fr/admin/",
    "/fr/admin/partners/partnership/",
    "/fr/admin/partners/fundingline/",
    "/fr/admin/partners/organisation/",
    "/fr/admin/partners/contact/",
    "/fr/admin/auth/user/",
    "/fr/admin/observatory/strand/",
    "/fr/admin/observatory/topic/",
    "/fr/admin/observatory/questioning/",
    "/fr/admin/observatory/worktrack/",
    "/fr/admin/observatory/recommendationgroup/",
    "/fr/admin/observatory/lesson/",
]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_the_admin_pages_load_for_an_admin(client, administrator, partnership, url):
    client.force_login(administrator)
    assert client.get(url).status_code == 200


def test_an_admin_can_edit_the_partnership_with_its_translation_tabs(
    client, administrator, partnership
):
    client.force_login(administrator)
    html = client.get(f"/fr/admin/partners/partnership/{partnership.pk}/change/").content.decode()

    assert 'name="project_title_fr"' in html
    assert 'name="project_title_en"' in html


def test_an_anonymous_visitor_is_sent_to_login_for_the_administration(client):
    response = client.get("/fr/admin/partners/contact/")
    assert response.status_code == 302
    assert "/fr/admin/login/" in response["Location"]


def test_contacts_are_personal_data_an_officer_cannot_open(client, officer_savoie):
    client.force_login(officer_savoie)
    response = client.get("/fr/admin/partners/contact/")
    assert response.status_code == 302  # not staff: back to the admin login


def test_a_demo_user_logs_in_through_the_translated_login_page(client, officer_savoie):
    page = client.get("/fr/accounts/login/")
    assert "Mot de passe" in page.content.decode()

    response = client.post(
        "/fr/accounts/login/",
        {"username": "officer-savoie", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302


def test_a_wrong_password_is_told_in_french_and_the_username_is_kept(client, officer_savoie):
    response = client.post(
        "/fr/accounts/login/", {"username": "officer-savoie", "password": "nope"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in html
    assert 'value="officer-savoie"' in html


def test_repeated_wrong_passwords_lock_the_account_for_a_while(client, officer_savoie):
    for _ in range(5):
        client.post("/fr/accounts/login/", {"username": "officer-savoie", "password": "nope"})

    response = client.post(
        "/fr/accounts/login/",
        {"username": "officer-savoie", "password": "correct horse battery staple"},
    )

    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    assert "_auth_user_id" not in client.session
