"""The release's version: a digest of the files a deploy changes (code, templates, compiled
translations, static files) and of the database served. config/settings.py makes it the cache's
KEY_PREFIX. Imports nothing of Django: the settings read it."""

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

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
}


def deploy_version(root: Path, database: dict) -> str:
    """A short digest of the release's files under `root` (names and contents) and of the
    database it serves (engine, host, port, name)."""
    digest = hashlib.sha256()
    for setting in ("ENGINE", "HOST", "PORT", "NAME"):
        digest.update(f"{setting}={database.get(setting, '')}\n".encode())
    for path in sorted(_deployed_files(root)):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _deployed_files(root: Path) -> Iterable[Path]:
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [
            name for name in subfolders if name not in NOT_DEPLOYED and not name.startswith(".")
        ]
        for name in names:
            if name.endswith(DEPLOY_SUFFIXES):
                yield Path(folder, name)
