"""What one process forgets, every process forgets: the shared caches CACHE_URL names (a folder
for the processes of one machine, Redis for several machines) hold key figures for all, and a
change made through one process is seen by the others at once.

Redis is the one named by TEST_REDIS_URL (`redis://127.0.0.1:6379/7`; .ci/run sets it), skipped
when it is not set. The suite may share that database with others: it writes under a key prefix
of its own for each run and deletes only its own keys, never the database."""

import os
import subprocess
import sys
import uuid

import pytest
from django.core.cache import caches
from django.test import override_settings

from config.settings import BASE_DIR, cache_from_url

REDIS_URL = os.environ.get("TEST_REDIS_URL", "")


def _other_process(url: str, prefix: str, code: str) -> str:
    """Runs `code` against the cache at `url` in a new Python process; returns what it prints."""
    program = (
        "from django.conf import settings; from config.settings import cache_from_url; "
        f"settings.configure(CACHES={{'default': cache_from_url({url!r}, key_prefix={prefix!r})}},"
        " DATABASES={'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': ':memory:'}}); "
        f"from django.core.cache import cache; from core import caching; {code}"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=BASE_DIR, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.fixture(params=["file", "redis"])
def shared(request, tmp_path):
    """(url, prefix, cache): a shared cache under a prefix of this test's own."""
    if request.param == "redis" and not REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set: no Redis to test")
    url = {"file": f"file://{tmp_path / 'cache'}", "redis": REDIS_URL}[request.param]
    prefix = f"regard-croise-test-{uuid.uuid4().hex}"
    with override_settings(CACHES={"default": cache_from_url(url, key_prefix=prefix)}):
        cache = caches["default"]
        yield url, prefix, cache
        if request.param == "redis":
            client = cache._cache.get_client(write=True)
            ours = list(client.scan_iter(match=f"{prefix}:*"))
            if ours:
                client.delete(*ours)


def test_a_scope_forgotten_in_one_process_is_forgotten_for_another(shared):
    url, prefix, _cache = shared
    key = "remember('key-figures:1:2016', lambda: {'professionals': %d}, scopes=['partnership:1'])"
    assert _other_process(url, prefix, f"print(caching.{key % 50})") == "{'professionals': 50}"
    assert _other_process(url, prefix, f"print(caching.{key % 99})") == "{'professionals': 50}"

    _other_process(url, prefix, "caching.forget(['partnership:1'])")

    assert _other_process(url, prefix, f"print(caching.{key % 99})") == "{'professionals': 99}"


def test_the_suite_touches_only_its_own_keys(shared):
    url, prefix, cache = shared
    if not url.startswith("redis"):
        pytest.skip("a folder of the test's own")
    neighbour = f"not-the-suites-{uuid.uuid4().hex}"
    client = cache._cache.get_client(write=True)
    client.set(neighbour, b"kept", ex=60)
    try:
        cache.set("figures", 1)
        _other_process(url, prefix, "caching.forget_everything()")

        assert client.get(neighbour) == b"kept"
    finally:
        client.delete(neighbour)
