"""Failed logins lock a username on the visitor's real address, read behind the reverse proxy
from X-Forwarded-For, and one address cannot keep the server checking passwords."""

import uuid

import pytest
from django.contrib.auth import authenticate

from core import login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LOGIN = "/fr/accounts/login/"


@pytest.fixture
def alice(db):
    return UserFactory(username="alice")


def attempt(client, username: str, password: str, *, forwarded_for: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    return client.post(LOGIN, {"username": username, "password": password}, **headers)


def test_five_failures_from_one_visitor_do_not_lock_alice_out_from_another(client, settings, alice):
    settings.TRUSTED_PROXIES = 1  # every request comes from the proxy, 127.0.0.1
    for _ in range(5):
        attempt(client, "alice", "wrong", forwarded_for="198.51.100.7, 203.0.113.66")

    locked = attempt(client, "alice", PASSWORD, forwarded_for="203.0.113.66")
    elsewhere = attempt(client, "alice", PASSWORD, forwarded_for="192.0.2.10")

    assert locked.status_code == 429
    assert elsewhere.status_code == 302


def test_without_a_trusted_proxy_a_forged_forwarded_for_is_ignored(client, settings, alice):
    settings.TRUSTED_PROXIES = 0
    for n in range(5):
        attempt(client, "alice", "wrong", forwarded_for=f"192.0.2.{n}")

    response = attempt(client, "alice", PASSWORD, forwarded_for="192.0.2.200")

    assert response.status_code == 429  # the socket's address, 127.0.0.1, is locked


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "address"),
    [
        (0, "192.0.2.1", "127.0.0.1"),
        (1, "192.0.2.1", "192.0.2.1"),
        (1, "10.0.0.1, 192.0.2.1", "192.0.2.1"),  # the visitor wrote the first one
        (2, "10.0.0.1, 192.0.2.1, 198.51.100.2", "192.0.2.1"),
        (2, "192.0.2.1", "192.0.2.1"),
        (1, "not an address", "127.0.0.1"),
        (1, "", "127.0.0.1"),
    ],
)
def test_the_visitors_address(rf, settings, proxies, forwarded_for, address):
    settings.TRUSTED_PROXIES = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded_for)

    assert login.client_ip(request) == address


def test_many_failed_logins_with_random_usernames_from_one_address_are_throttled(
    client, settings, monkeypatch
):
    settings.TRUSTED_PROXIES = 1
    for _ in range(login.FAILED_LOGINS_PER_ADDRESS):
        attempt(client, uuid.uuid4().hex, "wrong", forwarded_for="203.0.113.9")
    checked = []
    monkeypatch.setattr(
        "django.contrib.auth.forms.authenticate",
        lambda *args, **kwargs: checked.append(kwargs) or authenticate(*args, **kwargs),
    )

    throttled = attempt(client, uuid.uuid4().hex, "wrong", forwarded_for="203.0.113.9")
    other = attempt(client, uuid.uuid4().hex, "wrong", forwarded_for="192.0.2.44")

    assert throttled.status_code == 429
    assert "depuis votre connexion" in throttled.content.decode()
    assert "Retry-After" in throttled
    assert len(checked) == 1  # the other address's password only
    assert other.status_code == 200
