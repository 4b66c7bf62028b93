"""What one process forgets, every process forgets: the shared caches CACHE_URL names (a folder
for the processes of one machine, Redis for several machines) hold key figures for all, and a
save made through one process is seen by the others at once."""

import subprocess
import sys

import pytest
from django.core.cache import caches
from django.test import override_settings

from config.settings import BASE_DIR, cache_from_url

REDIS_URL = "redis://127.0.0.1:6379/14"


def _redis_running() -> bool:
    try:
        import redis

        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:
        return False


def _other_process(url: str, code: str) -> str:
    """Runs `code` against the cache at `url` in a new Python process; returns what it prints."""
    program = (
        "from django.conf import settings; from config.settings import cache_from_url; "
        f"settings.configure(CACHES={{'default': cache_from_url({url!r}, key_prefix='t')}}); "
        f"from django.core.cache import cache; {code}"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=BASE_DIR, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.mark.parametrize("kind", ["file", "redis"])
def test_a_value_forgotten_in_one_process_is_gone_for_another(tmp_path, kind):
    url = {"file": f"file://{tmp_path / 'cache'}", "redis": REDIS_URL}[kind]
    if kind == "redis" and not _redis_running():
        pytest.skip("no Redis on 127.0.0.1:6379")
    with override_settings(CACHES={"default": cache_from_url(url, key_prefix="t")}):
        shared = caches["default"]
        shared.set("key-figures:1:2016", {"professionals": 50})
        assert _other_process(url, "print(cache.get('key-figures:1:2016'))") == (
            "{'professionals': 50}"
        )

        _other_process(url, "cache.delete_many(['key-figures:1:2016'])")

        assert shared.get("key-figures:1:2016") is None
        shared.clear()
