"""One brake for every form that checks a password: the site's login, the admin's login and
the admin's password change count on the same counter, and an address braked on one gets the
same translated 429 page on the others before any password is hashed."""

import uuid

import pytest
from django.contrib.auth import authenticate

from core import login

pytestmark = pytest.mark.django_db

SITE_LOGIN = "/fr/accounts/login/"
ADMIN_LOGIN = "/fr/admin/login/"
ADMIN_PASSWORD_CHANGE = "/fr/admin/password_change/"


def guess(client, url: str):
    return client.post(url, {"username": uuid.uuid4().hex, "password": "wrong"})


@pytest.fixture
def hashed(monkeypatch):
    """The passwords Django checks from now on."""
    checked = []
    monkeypatch.setattr(
        "django.contrib.auth.forms.authenticate",
        lambda *args, **kwargs: checked.append(kwargs) or authenticate(*args, **kwargs),
    )
    return checked


def test_guessers_on_the_admin_login_are_braked_like_on_the_site_login(client, hashed):
    for _ in range(login.FAILED_LOGINS_PER_ADDRESS):
        assert guess(client, ADMIN_LOGIN).status_code == 200
    hashed.clear()

    braked = guess(client, ADMIN_LOGIN)

    assert braked.status_code == 429
    assert "depuis votre connexion" in braked.content.decode()
    assert braked["Retry-After"] == "600"
    assert hashed == []


@pytest.mark.parametrize(
    ("failed_on", "then_on"),
    [(SITE_LOGIN, ADMIN_LOGIN), (ADMIN_LOGIN, SITE_LOGIN)],
)
def test_an_address_braked_on_one_login_is_braked_on_the_other(client, hashed, failed_on, then_on):
    for _ in range(login.FAILED_LOGINS_PER_ADDRESS):
        guess(client, failed_on)
    hashed.clear()

    braked = guess(client, then_on)

    assert braked.status_code == 429
    assert "Trop de tentatives de connexion" in braked.content.decode()
    assert hashed == []


def test_failures_on_both_logins_add_up(client):
    half = login.FAILED_LOGINS_PER_ADDRESS // 2
    for _ in range(half):
        guess(client, SITE_LOGIN)
    for _ in range(login.FAILED_LOGINS_PER_ADDRESS - half):
        guess(client, ADMIN_LOGIN)

    assert guess(client, SITE_LOGIN).status_code == 429


def test_a_successful_admin_login_is_not_counted(client, administrator):
    administrator.set_password("le-bon-mot-de-passe")
    administrator.save()
    for _ in range(login.FAILED_LOGINS_PER_ADDRESS + 2):
        client.post(ADMIN_LOGIN, {"username": "admin", "password": "le-bon-mot-de-passe"})
        client.logout()

    assert not login.login_throttled(client.get("/fr/").wsgi_request)


def test_guessing_the_old_password_on_the_admin_password_change_is_braked(client, administrator):
    administrator.set_password("le-bon-mot-de-passe")
    administrator.save()
    client.force_login(administrator)
    wrong = {
        "old_password": "wrong",
        "new_password1": "x-Nouveau-1234",
        "new_password2": "x-Nouveau-1234",
    }
    for _ in range(login.FAILED_LOGINS_PER_ADDRESS):
        assert client.post(ADMIN_PASSWORD_CHANGE, wrong).status_code == 200

    braked = client.post(ADMIN_PASSWORD_CHANGE, {**wrong, "old_password": "le-bon-mot-de-passe"})

    assert braked.status_code == 429
    administrator.refresh_from_db()
    assert administrator.check_password("le-bon-mot-de-passe")
    assert guess(client, SITE_LOGIN).status_code == 429
