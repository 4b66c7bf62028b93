"""Back up the whole site into one file, and restore it, with django-dbbackup.

The file (`manage.py backup`) is a tar holding what django-dbbackup writes, and a manifest:

- `database.gz`: the database dumped with the engine's own tool (`pg_dump --format=custom` on
  PostgreSQL, SQLite's online backup API on SQLite), gzip-compressed, and
  `database.gz.metadata`, dbbackup's note of the engine and connector that made it;
- `media.tar`: dbbackup's archive of every file in the default storage (the media folder or the
  S3 bucket): uploads, thumbnails, published restitutions, draft PDFs;
- `manifest.json`: the format, when, the engine, the migrations the data was made with, and
  the SHA-256 and size of every other member.

`manage.py restore` checks every SHA-256 and every name of the media archive before it writes
anything, refuses a database holding data of its own unless told `--force`
(`data_held`), then writes the files (through the storage), restores the database with the
engine's tool (pg_restore in one transaction; SQLite's backup API into the open database), and
runs `migrate`, so that a backup made by an older release is brought up to this one.

The whole database is restored, sessions, login lockouts and the task queue included: it is the
site as it was at that moment. The checksums catch a damaged or altered member, not a forger who
rewrites the manifest too: keep backups where only administrators can write (they hold personal
data and password hashes; the file is created readable by its owner only).
"""

import hashlib
import io
import json
import os
import posixpath
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from dbbackup.db.exceptions import ConnectorError, RestoreError
from dbbackup.db.sqlite import SqliteBackupConnector
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from .caching import forget_everything

#: manifest.json: the format, the engine, the migrations applied, each member's SHA-256 and size.
Manifest = dict[str, Any]

FORMAT = "regard-croise-backup"
FORMAT_VERSION = 2
MANIFEST = "manifest.json"
DATABASE = "database.gz"
METADATA = DATABASE + ".metadata"
MEDIA = "media.tar"
MEMBERS = (DATABASE, METADATA, MEDIA)
CHUNK = 1024 * 1024
MAX_MANIFEST_BYTES = 1024 * 1024
#: What the scheduled backups are called in BACKUP_DIR (retention removes only those).
SCHEDULED_NAME = re.compile(r"^regard-croise-\d{8}-\d{6}\.tar$")

#: Apps whose rows are never the site's data: what `migrate` creates (content types,
#: permissions) and working state (sessions, login lockouts, the task queue). A domain app
#: says the same of its own models with a `not_site_data` tuple on its AppConfig.
NOT_SITE_DATA_APPS = {"contenttypes", "sessions", "axes", "django_tasks_database"}


class BackupError(Exception):
    """A backup or a restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Summary:
    archive: Path
    files: int
    engine: str


# ---- what a database holds ------------------------------------------------------------------


def data_held(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """The site's own data in the database: the number of rows of each model that holds some.

    Not data: the rows `migrate` makes (content types, permissions, and the reference rows
    an app's migrations create, which its AppConfig lists in `not_site_data`), working state
    (sessions, login lockouts, the task queue, the task workers' heartbeats), and superusers,
    whom an administrator creates on a new server before restoring. Everything else counts:
    any other account, exchanges, history, the admin's log… Asked of every installed app, so
    that core names none of the apps above it."""
    user_model = get_user_model()
    held = {}
    for config in apps.get_app_configs():
        if config.label in NOT_SITE_DATA_APPS:
            continue
        skipped = set(getattr(config, "not_site_data", ()))
        for model in config.get_models(include_auto_created=True):
            if model._meta.object_name in skipped or not model._meta.managed:
                continue
            if model._meta.proxy or model._meta.label == "auth.Permission":
                continue
            rows = model._base_manager.using(using)
            if model is user_model:
                rows = rows.filter(is_superuser=False)
            count = rows.count()
            if count:
                held[model._meta.label_lower] = count
    return held


def file_names(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Every file a row names (any file field of any installed model), sorted: what the
    restore drill and the cluster's tests compare with the storage."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                rows = model._base_manager.using(using).exclude(**{field.attname: ""})
                names.update(
                    rows.exclude(**{f"{field.attname}__isnull": True}).values_list(
                        field.attname, flat=True
                    )
                )
    return sorted(names)


# ---- backup ---------------------------------------------------------------------------------


def backup_create(*, output: Path, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Write the backup at `output` (replaced whole, never left half-written)."""
    output = Path(output)
    if connections[using].in_atomic_block:
        # pg_dump would not see what the transaction wrote, and SQLite's backup API would wait
        # for it for ever.
        raise BackupError(_("A backup is made outside any transaction."))
    output.parent.mkdir(parents=True, exist_ok=True)
    _check_dump_tool(using)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".backup-") as scratch:
        folder = Path(scratch)
        # The database first, then the files: a file a row names was stored before the row.
        options = {"interactive": False, "verbosity": 0, "quiet": True}
        try:
            call_command(
                "dbbackup",
                database=using,
                output_path=str(folder / DATABASE),
                compress=True,
                **options,
            )
        except ConnectorError as error:
            raise BackupError(
                _("The database could not be dumped: %(error)s") % {"error": error}
            ) from None
        if isinstance(default_storage, FileSystemStorage):  # no upload yet: no folder yet
            Path(default_storage.location).mkdir(parents=True, exist_ok=True)
        call_command("mediabackup", output_path=str(folder / MEDIA), **options)
        with tarfile.open(folder / MEDIA) as media:
            files = sum(1 for member in media if member.isfile())
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "engine": connections[using].vendor,
            "migrations": sorted(
                f"{app}.{name}"
                for app, name in MigrationRecorder(connections[using]).applied_migrations()
            ),
            "members": {name: _digest(folder / name) for name in MEMBERS},
        }
        partial = folder / "backup.tar"
        with partial.open("wb") as raw, tarfile.open(fileobj=raw, mode="w") as tar:
            os.fchmod(raw.fileno(), 0o600)  # personal data and password hashes
            for name in MEMBERS:
                tar.add(folder / name, arcname=name, recursive=False, filter=_plain)
            text = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(text), 0o600, int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(text))
        os.replace(partial, output)
    return Summary(archive=output, files=files, engine=str(manifest["engine"]))


def _plain(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    return info


def _check_dump_tool(using: str) -> None:
    """pg_dump refuses a server newer than itself: say which package to install."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    connection.ensure_connection()
    server = int(getattr(connection, "pg_version", 0)) // 10000  # PostgreSQL's wrapper has it
    try:
        found = subprocess.run(
            ["pg_dump", "--version"],  # noqa: S607 (the PostgreSQL client on the PATH)
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        found = ""
    match = re.search(r"(\d+)(?:\.\d+)?", found)
    if not match or int(match.group(1)) < server:
        raise BackupError(
            _(
                "The database server is PostgreSQL %(server)d, and pg_dump %(client)s cannot "
                "dump it: install the PostgreSQL %(server)d client (postgresql-client-%(server)d)."
            )
            % {"server": server, "client": match.group(1) if match else _("(not found)")}
        )


def backups_pruned(folder: Path, keep: int) -> list[Path]:
    """Remove the oldest scheduled backups of `folder` (regard-croise-YYYYMMDD-HHMMSS.tar), so
    that the `keep` newest remain; other files are never touched. Returns what was removed."""
    scheduled = sorted(path for path in folder.iterdir() if SCHEDULED_NAME.match(path.name))
    removed = scheduled[: max(len(scheduled) - keep, 0)]
    for path in removed:
        path.unlink()
    return removed


def scheduled_name() -> str:
    return f"regard-croise-{timezone.localtime():%Y%m%d-%H%M%S}.tar"


# ---- verify and restore ---------------------------------------------------------------------


def backup_verify(*, archive: Path, into: Path) -> Manifest:
    """Unpack `archive` into the folder `into`, checking that it holds exactly the members its
    manifest lists, each with its SHA-256 and size, and a media archive of plain files with
    names inside the storage. Returns the manifest; raises BackupError."""
    try:
        with tarfile.open(archive, mode="r:") as tar:
            manifest = _read_manifest(tar)
            _check_members(tar)
            for name in MEMBERS:
                expected = manifest["members"][name]
                digest = _copy(_member(tar, name), into / name, limit=expected["size"])
                if digest != expected:
                    raise BackupError(
                        _(
                            "The backup is damaged or was altered: %(member)s does not match "
                            "its SHA-256 in the manifest. Nothing was restored."
                        )
                        % {"member": name}
                    )
        _check_media_names(into / MEDIA)
    except (OSError, EOFError, zlib.error, tarfile.TarError) as error:
        raise BackupError(
            _("%(archive)s is damaged or is not a backup (%(error)s). Nothing was restored.")
            % {"archive": archive, "error": error}
        ) from None
    return manifest


def backup_restore(*, archive: Path, using: str = DEFAULT_DB_ALIAS, force: bool = False) -> Summary:
    """Rebuild the database and the stored files from `archive`, after checking everything.

    Refused, before anything is written: a damaged or altered file, a backup of another engine,
    one made by a newer release, and, unless `force`, a database holding data of its own
    (`data_held`) or a storage holding other files under the restored files' names."""
    with tempfile.TemporaryDirectory(prefix="regard-croise-restore-") as scratch:
        folder = Path(scratch)
        manifest = backup_verify(archive=archive, into=folder)
        _check_engine(manifest, using)
        _check_migrations_known(manifest, using)
        names = _media_names(folder / MEDIA)
        if not force:
            _check_no_data(using)
            _check_media_free(folder / MEDIA)
        existing = {name for name in names if default_storage.exists(name)}
        options = {"interactive": False, "verbosity": 0, "quiet": True}
        try:
            call_command("mediarestore", input_path=str(folder / MEDIA), replace=force, **options)
            call_command(
                "dbrestore",
                database=using,
                input_path=str(folder / DATABASE),
                uncompress=True,
                **options,
            )
        except BaseException as error:
            for name in set(names) - existing:  # what this restore wrote
                default_storage.delete(name)
            if isinstance(error, ConnectorError):
                raise BackupError(
                    _(
                        "The database could not be restored; it was left as it was and the "
                        "files written were removed. %(error)s"
                    )
                    % {"error": error}
                ) from None
            raise
    ContentType.objects.clear_cache()  # their ids are the backup's now
    # A backup made by an older release: its data brought up to this one.
    call_command("migrate", database=using, interactive=False, verbosity=0)
    forget_everything()
    return Summary(archive=Path(archive), files=len(names), engine=str(manifest["engine"]))


def _member(tar: tarfile.TarFile, member: str | tarfile.TarInfo) -> IO[bytes]:
    """A regular member's bytes (`extractfile` gives None for a link or a folder, which the
    checks refuse before any member is read)."""
    stream = tar.extractfile(member)
    if stream is None:
        raise ValueError(str(member))
    return stream


def _read_manifest(tar: tarfile.TarFile) -> Manifest:
    try:
        member = tar.getmember(MANIFEST)
        if member.size > MAX_MANIFEST_BYTES or not member.isfile():
            raise ValueError(MANIFEST)
        manifest = json.loads(_member(tar, member).read(MAX_MANIFEST_BYTES))
    except (KeyError, ValueError, RecursionError):
        raise BackupError(
            _("This file has no readable manifest.json: it is not a Regard croisé backup.")
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("This file is not a Regard croisé backup."))
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(
            _(
                "This backup is in format version %(found)s; this release reads version "
                "%(known)s. Restore it with the release that made it."
            )
            % {"found": manifest.get("version"), "known": FORMAT_VERSION}
        )
    members = manifest.get("members")
    if not (
        isinstance(members, dict)
        and set(members) == set(MEMBERS)
        and all(
            isinstance(entry, dict)
            and isinstance(entry.get("sha256"), str)
            and isinstance(entry.get("size"), int)
            for entry in members.values()
        )
        and isinstance(manifest.get("engine"), str)
        and isinstance(manifest.get("migrations"), list)
        and all(isinstance(name, str) for name in manifest["migrations"])
    ):
        raise BackupError(
            _(
                "The manifest of this backup does not list its members' SHA-256. Nothing was "
                "restored."
            )
        )
    return manifest


def _check_members(tar: tarfile.TarFile) -> None:
    """Exactly the expected members, once each, as plain files."""
    found = [member.name for member in tar.getmembers()]
    if sorted(found) != sorted((*MEMBERS, MANIFEST)) or not all(
        member.isfile() for member in tar.getmembers()
    ):
        raise BackupError(
            _(
                "The backup does not hold what a backup holds (%(found)s instead of %(expected)s):"
                " it was altered or is incomplete. Nothing was restored."
            )
            % {"found": ", ".join(found), "expected": ", ".join((*MEMBERS, MANIFEST))}
        )


def _digest(path: Path) -> dict[str, Any]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def _copy(stream: IO[bytes], path: Path, *, limit: int) -> dict[str, Any]:
    """Copy `stream` to `path` a chunk at a time, never more than one byte past `limit`."""
    digest, size = hashlib.sha256(), 0
    with path.open("wb") as out:
        while size <= limit and (chunk := stream.read(CHUNK)):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def _safe_name(name: str) -> bool:
    return (
        bool(name)
        and "\\" not in name
        and "\x00" not in name
        and not name.startswith("/")
        and posixpath.normpath(name) == name
        and ".." not in name.split("/")
    )


def _media_members(path: Path) -> Iterator[tarfile.TarInfo]:
    with tarfile.open(path, mode="r:") as media:
        yield from media.getmembers()


def _check_media_names(path: Path) -> None:
    """Every member of the media archive is a plain file or a folder with a name inside the
    storage: no `..`, no absolute path, no link."""
    unsafe = [
        member.name
        for member in _media_members(path)
        if not (member.isfile() or member.isdir()) or not _safe_name(member.name)
    ]
    if unsafe:
        raise BackupError(
            _(
                "The media archive names files outside the storage or links (%(names)s). Nothing "
                "was restored."
            )
            % {"names": ", ".join(unsafe)}
        )


def _media_names(path: Path) -> list[str]:
    return [member.name for member in _media_members(path) if member.isfile()]


def _check_engine(manifest: Manifest, using: str) -> None:
    here = connections[using].vendor
    if manifest["engine"] != here:
        raise BackupError(
            _(
                "This backup is of a %(there)s database and this site uses %(here)s: a backup "
                "is restored on the engine that made it. To move from SQLite to PostgreSQL, "
                "follow the README (dumpdata and loaddata). Nothing was restored."
            )
            % {"there": manifest["engine"], "here": here}
        )


def _check_migrations_known(manifest: Manifest, using: str) -> None:
    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    unknown = sorted(set(manifest["migrations"]) - known)
    if unknown:
        raise BackupError(
            _(
                "This backup was made by a newer release (its migrations %(names)s are unknown "
                "here): restore it with that release. Nothing was restored."
            )
            % {"names": ", ".join(unknown)}
        )


def _check_no_data(using: str) -> None:
    held = data_held(using)
    if held:
        raise BackupError(
            _(
                "This database already holds data (%(rows)s): restoring would replace it. "
                "Restore into a new database made by `python manage.py migrate`, or add --force "
                "to replace this one. Nothing was restored."
            )
            % {"rows": _listed([f"{label}: {count}" for label, count in sorted(held.items())])}
        )


def _listed(items: list[str], at_most: int = 6) -> str:
    shown = ", ".join(items[:at_most])
    if len(items) > at_most:
        return _("%(shown)s and %(more)d more") % {"shown": shown, "more": len(items) - at_most}
    return shown


def _check_media_free(path: Path) -> None:
    """No other file may have the name of a restored one; the very same bytes are fine."""
    taken = []
    with tarfile.open(path, mode="r:") as media:
        for member in media:
            if member.isfile() and default_storage.exists(member.name):
                ours = hashlib.sha256()
                with default_storage.open(member.name, "rb") as stored:
                    while chunk := stored.read(CHUNK):
                        ours.update(chunk)
                theirs = hashlib.sha256()
                source = _member(media, member)
                while chunk := source.read(CHUNK):
                    theirs.update(chunk)
                if ours.digest() != theirs.digest():
                    taken.append(member.name)
    if taken:
        raise BackupError(
            _(
                "The file storage already holds other files with the names of restored ones "
                "(%(names)s): restore into an empty media folder or bucket, or add --force to "
                "replace them. Nothing was restored."
            )
            % {"names": ", ".join(taken)}
        )


# ---- the SQLite connector -------------------------------------------------------------------


class SqliteOnlineConnector(SqliteBackupConnector):
    """dbbackup's SQLite connector (a copy made with SQLite's online backup API), restoring
    with the same API into the open database rather than by writing over its file: the
    processes that have it open see the restored data, no journal of the old file is left
    beside the new one, and a database in memory (the test suite's) is restored too.
    (settings.DBBACKUP_CONNECTOR_MAPPING)"""

    def restore_dump(self, dump: IO[bytes]) -> None:
        with tempfile.NamedTemporaryFile(suffix=".sqlite3") as copy:
            shutil.copyfileobj(dump, copy)
            copy.flush()
            source = sqlite3.connect(copy.name)
            try:
                source.execute("PRAGMA schema_version")  # refuses a file that is not SQLite
                self.connection.ensure_connection()
                source.backup(self.connection.connection)
            except sqlite3.DatabaseError as error:
                raise RestoreError(str(error)) from None
            finally:
                source.close()
