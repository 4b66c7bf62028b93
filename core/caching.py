"""Values worth keeping between requests, in Django's cache framework (the backend comes from
CACHE_URL: a folder on disk shared by one machine's processes by default, Redis with several
servers).

Each value is kept under a key that holds the *generations* of what it depends on (`scopes`,
such as "partnership:3"), read before the value is computed. The service that changes the data
of a scope bumps its generation, at once and again when its transaction commits: a reader that
read the generation before the commit and stores its value after it stores it under the old
generation, where nobody looks any more; and what the changing transaction itself reads before
it commits is not kept at all (it may roll back). Nothing is ever deleted or cleared: the store
is shared with other releases, other sites and the brake on failed logins (core/login.py); what
nobody reads any more expires after TIMEOUT.

A generation is a random number, not a counter: a bump writes a value no reader has seen,
whatever the backend (an increment is a read then a write on the file backend, and two bumps at
once could write a value already read), and a generation evicted from the store comes back
as a new random number, never as one that older values were kept under.

`forget_everything()` bumps the generation every key holds (after a restore, the demo data):
what was kept is then computed again, and nothing else in the store is touched.

Nothing is fed by model signals. The release's code, templates, translations and static files
and the database's name are part of every key through the cache's KEY_PREFIX (core/deploy.py),
so a new release never reads what an older one computed."""

import secrets
from collections.abc import Callable, Iterable
from functools import partial
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

TIMEOUT = 24 * 3600
EVERYTHING = "everything"
T = TypeVar("T")


def remember(
    key: str, compute: Callable[[], T], *, scopes: Iterable[str] = (), timeout: int = TIMEOUT
) -> T:
    """What `compute()` returned for `key`, computed now if it is not kept (None is not kept).
    `scopes` name what the value depends on: their generations, read before `compute()` runs,
    are part of the key, so a bump made meanwhile leaves what this call stores unread."""
    depends_on = [EVERYTHING, *scopes]
    versioned = ":".join([key, *(str(g) for g in generations(depends_on))])
    value: T | None = cache.get(versioned)  # what was stored for this key, or nothing
    if value is None:
        value = compute()
        if not _changing_now(depends_on):
            cache.set(versioned, value, timeout)
    return value


def forget(scopes: Iterable[str]) -> None:
    """What is kept for `scopes` is out of date: their generations are bumped now and once the
    current transaction commits (a reader that computed meanwhile read the older data)."""
    scopes = list(scopes)
    _bump(scopes)
    transaction.on_commit(partial(_bump, scopes))


def forget_everything() -> None:
    """Everything this site kept is out of date (a restore, new demo data): now and once the
    current transaction commits. The rest of the store (other releases, the login brake) stays."""
    forget([EVERYTHING])


def generations(scopes: list[str]) -> list[int]:
    """The current generation of each scope; a scope with none yet (or evicted) gets one."""
    keys = [_generation_key(scope) for scope in scopes]
    found = cache.get_many(keys)
    for key in keys:
        if found.get(key) is None:
            # add: of two processes starting the scope at once, both keep the first one's
            cache.add(key, _new_generation(), None)
            kept = cache.get(key)
            found[key] = _new_generation() if kept is None else kept  # dummy: nothing kept
    return [found[key] for key in keys]


def _changing_now(scopes: list[str]) -> bool:
    """Whether the open transaction changed the data of one of `scopes` (its bump waits for
    the commit): a value counted from it is not kept, since the transaction may yet roll back
    (Django drops the bumps of a savepoint rolled back, so this is exact)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return False
    return any(
        isinstance(callback, partial)
        and callback.func is _bump
        and set(callback.args[0]) & set(scopes)
        for _savepoints, callback, *_robust in connection.run_on_commit
    )


def _bump(scopes: list[str]) -> None:
    cache.set_many({_generation_key(scope): _new_generation() for scope in scopes}, None)


def _generation_key(scope: str) -> str:
    return f"generation:{scope}"


def _new_generation() -> int:
    return secrets.randbits(62)
