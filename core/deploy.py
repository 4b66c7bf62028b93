"""The release's version: a digest of the files a deploy changes (code, templates, compiled
translations, static files); and the database's identity. config/settings.py makes both the
cache's KEY_PREFIX. Imports nothing of Django: the settings read it."""

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# What a release is made of: a change in any of these files is a new deploy version.
DEPLOY_SUFFIXES = (".py", ".html", ".txt", ".mo", ".css", ".js")
NOT_DEPLOYED = {
    "node_modules",
    "staticfiles",
    "media",
    "e2e",
    "e2e-screenshots",
    "tests",
    "__pycache__",
    "build",  # pip's copies of the release while installing it
    "var",  # the local cache and database (CACHE_URL's default folder)
}


def deploy_version(root: Path) -> str:
    """A short digest of the release's files under `root` (names and contents): the same on
    every server that runs the same release, wherever it is installed."""
    digest = hashlib.sha256()
    for path in sorted(_deployed_files(root)):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# Any: a DATABASES entry mixes strings, numbers and the OPTIONS/TEST dictionaries.
def database_identity(database: dict[str, Any]) -> str:
    """A short digest of the database served, as the database itself names it: the engine and
    the database's name for PostgreSQL (`regard_croise`, whether a server reaches it as
    `db.internal` or `10.0.0.5`, so that all of them share what they keep and what they
    forget), the file's resolved path for SQLite. Two PostgreSQL servers each holding a
    database of the same name must not share a Redis database (docs/architecture.md)."""
    name = str(database.get("NAME") or "")
    if database.get("ENGINE", "").endswith("sqlite3") and name != ":memory:":
        name = os.path.realpath(name)
    return hashlib.sha256(f"{database.get('ENGINE', '')}\n{name}".encode()).hexdigest()[:8]


def _deployed_files(root: Path) -> Iterable[Path]:
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [
            name
            for name in subfolders
            if name not in NOT_DEPLOYED
            and not name.startswith(".")
            and not name.endswith(".egg-info")  # written by pip install -e, not released
        ]
        for name in names:
            if name.endswith(DEPLOY_SUFFIXES):
                yield Path(folder, name)
