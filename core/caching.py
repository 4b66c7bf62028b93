"""Values worth keeping between requests, in Django's cache framework (the backend comes from
CACHE_URL: a folder on disk by default, Redis in production).

Each value is keyed by what it depends on and forgotten by the service that changes it, at
once and again when its transaction commits (a reader that ran meanwhile may have kept the old
value: it goes too).
Nothing is fed by model signals. The deploy's code, templates, translations and static files
are part of every key through the cache's KEY_PREFIX (core/deploy.py), so a new release never
reads what an older one computed."""

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

TIMEOUT = 24 * 3600
T = TypeVar("T")


def remember(key: str, compute: Callable[[], T], timeout: int = TIMEOUT) -> T:
    """What `compute()` returned for `key`, computed now if it is not kept (None is not kept)."""
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value


def forget(keys: Iterable[str]) -> None:
    """Forget `keys` now and once the current transaction commits."""
    keys = list(keys)
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
