"""The login brake counts a client once however its address is written: an IPv4 address
wrapped in IPv6 is the IPv4 address, and an IPv6 client is its /64 network (it may use any
address of it)."""

import pytest

from config.settings import brake_cache, cache_from_url
from core import login

pytestmark = pytest.mark.django_db

SITE_LOGIN = "/fr/accounts/login/"


@pytest.mark.parametrize(
    ("remote", "forwarded", "address"),
    [
        ("::ffff:198.51.100.20", None, "198.51.100.20"),
        ("::FFFF:c633:6414", None, "198.51.100.20"),
        ("127.0.0.1", "::ffff:198.51.100.20", "198.51.100.20"),
        ("2001:db8:0:0::1", None, "2001:db8::1"),
        ("2001:0DB8::0001", None, "2001:db8::1"),
        ("127.0.0.1", "2001:db8::1", "2001:db8::1"),
        ("::1", None, "::1"),
    ],
)
def test_the_visitors_address_is_written_one_way(rf, settings, remote, forwarded, address):
    settings.TRUSTED_PROXIES = 1 if forwarded else 0
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = rf.get("/", REMOTE_ADDR=remote, **headers)

    assert login.client_ip(request) == address


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("198.51.100.20", "::ffff:198.51.100.20", True),
        ("198.51.100.20", "198.51.100.21", False),
        ("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:fffe", True),  # one /64
        ("2001:db8:1:2::1", "2001:db8:1:3::1", False),  # the next /64
        ("2001:db8:1:2::1", "::ffff:198.51.100.20", False),
    ],
)
def test_two_addresses_are_one_client_when_they_share_a_64(rf, first, second, same):
    first_key = login.client_key(rf.get("/", REMOTE_ADDR=first))
    second_key = login.client_key(rf.get("/", REMOTE_ADDR=second))

    assert (first_key == second_key) is same


def test_a_client_key_for_an_ipv6_address_is_its_64(rf):
    assert login.client_key(rf.get("/", REMOTE_ADDR="2001:db8:1:2:3:4:5:6")) == "2001:db8:1:2::/64"


def test_failures_from_an_ipv4_address_and_its_ipv6_form_add_up(client):
    half = login.FAILED_LOGINS_PER_ADDRESS // 2
    for n in range(login.FAILED_LOGINS_PER_ADDRESS):
        remote = "198.51.100.20" if n < half else "::ffff:198.51.100.20"
        client.post(SITE_LOGIN, {"username": f"x{n}", "password": "wrong"}, REMOTE_ADDR=remote)

    braked = client.post(
        SITE_LOGIN, {"username": "y", "password": "wrong"}, REMOTE_ADDR="198.51.100.20"
    )

    assert braked.status_code == 429


def test_an_ipv6_client_changing_address_inside_its_64_stays_braked(client):
    for n in range(login.FAILED_LOGINS_PER_ADDRESS):
        client.post(
            SITE_LOGIN,
            {"username": f"x{n}", "password": "wrong"},
            REMOTE_ADDR=f"2001:db8:7:7::{n + 1:x}",
        )

    braked = client.post(
        SITE_LOGIN, {"username": "y", "password": "wrong"}, REMOTE_ADDR="2001:db8:7:7:abcd::99"
    )
    neighbour = client.post(
        SITE_LOGIN, {"username": "y", "password": "wrong"}, REMOTE_ADDR="2001:db8:7:8::1"
    )

    assert braked.status_code == 429
    assert neighbour.status_code == 200


def test_a_counter_in_the_file_cache_lasts_its_whole_window(settings, tmp_path, monkeypatch):
    """The file cache (CACHE_URL's default) writes an incremented value again with its default
    timeout, five minutes: a counter must still last the window it was given."""
    from datetime import timedelta

    from django.core.cache import caches
    from django.core.cache.backends import filebased

    default = cache_from_url(f"file://{tmp_path / 'cache'}", key_prefix="release")
    settings.CACHES = {"default": default, "brakes": brake_cache(default, "database")}
    for _ in range(3):
        login.count("reset-counter", timedelta(hours=1))
    now = filebased.time.time()
    monkeypatch.setattr(filebased.time, "time", lambda: now + 20 * 60)

    assert caches["brakes"].get("reset-counter") == 3


def test_what_the_pages_keep_never_pushes_a_guessers_count_out(settings, tmp_path, client):
    """The file cache culls a third of its files at random past MAX_ENTRIES (300): a few
    hundred saves' worth of kept figures once made the brake forget an address's failures."""
    from django.core.cache import caches

    default = cache_from_url(f"file://{tmp_path / 'cache'}", key_prefix="release")
    default["OPTIONS"] = {"MAX_ENTRIES": 30}  # culled ten times as often: the same, sooner
    settings.CACHES = {"default": default, "brakes": brake_cache(default, "database")}
    guesser = {"REMOTE_ADDR": "198.51.100.7"}
    for n in range(login.FAILED_LOGINS_PER_ADDRESS):
        client.post("/fr/accounts/login/", {"username": f"g{n}", "password": "x"}, **guesser)

    for n in range(300):  # what officers' saves leave in the site's cache meanwhile
        caches["default"].set(f"key-figures:{n}", n)

    response = client.post("/fr/accounts/login/", {"username": "g", "password": "x"}, **guesser)
    assert response.status_code == 429
