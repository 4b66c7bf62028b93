"""Back up the whole site into one archive, and rebuild an empty database from it.

The archive is a .tar.gz holding:

- `data.json`: what Django's `dumpdata` writes (but to the microsecond) of every model of
  the project's apps (partners, observatory, exchanges, reporting), with the accounts
  (`auth.user`, `auth.group`) and the admin's own log (`admin.logentry`). Foreign keys to
  content types and permissions are written by natural key (app label and model, codename),
  as are those to users; primary keys stay as they are. The original column of each
  translated field (`name` beside `name_fr` and `name_en`) is dumped and loaded in French,
  the default language, as `load_demo` does.
- `media/<name>`: every file a file field of that data names (exchange attachments,
  published restitution files), byte for byte.
- `manifest.json`: the format, the migrations the data was made with, the number of rows of
  each model, and the SHA-256 and size of every other member.

Left out, on purpose:

- content types and permissions: `migrate` creates them in the new database, possibly with
  other ids, which is why the data names them by natural key;
- sessions: restoring logins would bring back sessions that were closed since; everyone logs
  in again;
- django-axes' login attempts and lockouts: the working state and log of the login guard, not
  the site's data; restoring them could lock people out again;
- django-tasks-db's queue and results: transient. A restitution version still rendering at
  backup time is restored as such and given up as abandoned after 15 minutes, when it can be
  published again.

The checksums catch a damaged or altered member, not a forger who rewrites the manifest too:
keep archives where only administrators can write (they hold personal data and password
hashes; the archive is created readable by its owner only).
"""

import datetime
import hashlib
import io
import json
import os
import posixpath
import tarfile
import tempfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.cache import cache
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.template.defaultfilters import filesizeformat
from django.test.utils import override_settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

FORMAT = "regard-croise-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"
MEDIA = "media/"

#: What the data holds: app labels (every model of the app, their history tables included:
#: core/history.py) and single models.
DUMPED = [
    "partners",
    "observatory",
    "exchanges",
    "reporting",
    "auth.user",
    "auth.group",
    "admin.logentry",
]
#: Apps whose migrations must be the same where the backup is restored. contenttypes: the
#: natural keys of content types are read there.
MIGRATED_APPS = [
    "contenttypes",
    "auth",
    "admin",
    "partners",
    "observatory",
    "exchanges",
    "reporting",
]

CHUNK = 1024 * 1024
#: What a restore accepts at most, so that a hostile archive is refused before it fills the
#: memory or the disk: the manifest (a few hundred bytes a file), its nesting (the manifest is
#: three levels deep), and each member (data.json, one uploaded or published file).
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
MAX_MANIFEST_DEPTH = 4
MAX_MEMBER_BYTES = 2 * 1024 * 1024 * 1024


class BackupError(Exception):
    """A backup or a restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Summary:
    archive: Path
    objects: int
    files: int


def dumped_models() -> list[type[models.Model]]:
    """The models whose rows the archive holds, in a stable order."""
    found: list[type[models.Model]] = []
    for label in DUMPED:
        if "." in label:
            found.append(apps.get_model(label))
        else:
            found.extend(apps.get_app_config(label).get_models())
    return found


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


# ---- backup ---------------------------------------------------------------------------------


def backup_create(*, output: Path, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Write the archive at `output` (replaced whole, never left half-written)."""
    output = Path(output)
    with tempfile.TemporaryDirectory() as scratch:
        data_path = Path(scratch) / DATA
        with _snapshot(using):
            _dump(data_path, using)
            names = file_names(using)
            counts = {_label(m): m._base_manager.using(using).count() for m in dumped_models()}
            migrations = _applied_migrations(using)
        missing = [name for name in names if not default_storage.exists(name)]
        if missing:
            raise BackupError(
                _(
                    "These files are named in the database but missing from %(media_root)s: "
                    "%(names)s. Put them back (or remove what names them) and back up again."
                )
                % {"media_root": storage_place(), "names": ", ".join(missing)}
            )
        members: dict[str, dict] = {}
        output.parent.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=output.parent, prefix=".backup-", suffix=".part")
        try:
            os.fchmod(handle, 0o600)  # personal data and password hashes
            with os.fdopen(handle, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                with data_path.open("rb") as data:
                    members[DATA] = _add_stream(tar, DATA, data_path.stat().st_size, data)
                for name in names:
                    members[MEDIA + name] = _add_stored(tar, MEDIA + name, name)
                manifest = {
                    "format": FORMAT,
                    "version": FORMAT_VERSION,
                    "created_at": timezone.now().isoformat(),
                    "django": django.get_version(),
                    "migrations": migrations,
                    "counts": counts,
                    "members": members,
                }
                text = json.dumps(manifest, indent=1, sort_keys=True).encode()
                _add_stream(tar, MANIFEST, len(text), io.BytesIO(text))
            os.replace(partial, output)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    return Summary(archive=output, objects=sum(counts.values()), files=len(names))


@contextmanager
def _snapshot(using: str) -> Iterator[None]:
    """One consistent view of the database while it is read, even if the site is writing:
    a repeatable-read transaction on PostgreSQL (SQLite's read transaction is one already)."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


class _ExactJSONEncoder(DjangoJSONEncoder):
    """Times to the microsecond: Django's encoder keeps milliseconds only, which would change
    every timestamp on the way back."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _dump(path: Path, using: str) -> None:
    """What `dumpdata --natural-foreign --all` writes, timestamps to the microsecond."""
    by_app: dict = {}
    for model in dumped_models():
        by_app.setdefault(model._meta.app_config, []).append(model)
    ordered = serializers.sort_dependencies(by_app.items(), allow_cycles=True)
    rows = (
        row
        for model in ordered
        if not model._meta.proxy
        for row in model._base_manager.using(using).order_by(model._meta.pk.name).iterator()
    )
    # French active: the original column of each translated field holds French (see above).
    with translation.override(settings.LANGUAGE_CODE), path.open("w", encoding="utf-8") as out:
        serializers.serialize(
            "json",
            rows,
            stream=out,
            indent=1,
            use_natural_foreign_keys=True,
            cls=_ExactJSONEncoder,
        )


def _file_fields() -> Iterator[tuple[type[models.Model], models.FileField]]:
    for model in dumped_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                if field.storage is not default_storage:
                    raise BackupError(
                        _("%(field)s keeps its files in a storage this backup does not know.")
                        % {"field": f"{_label(model)}.{field.name}"}
                    )
                yield model, field


def file_names(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Every file the data names (any file field of the backed-up models), sorted."""
    names: set[str] = set()
    for model, field in _file_fields():
        rows = model._base_manager.using(using).exclude(**{field.attname: ""})
        names.update(rows.values_list(field.attname, flat=True))
    return sorted(names)


def _applied_migrations(using: str) -> dict[str, list[str]]:
    applied = MigrationRecorder(connections[using]).applied_migrations()
    return {
        app: sorted(name for app_label, name in applied if app_label == app)
        for app in MIGRATED_APPS
    }


class _Hashing:
    """A file read through, its SHA-256 and size counted as it goes."""

    def __init__(self, stream):
        self.stream, self.digest, self.size = stream, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        self.digest.update(chunk)
        self.size += len(chunk)
        return chunk


def _add_stored(tar: tarfile.TarFile, member: str, name: str) -> dict:
    """A stored file into the archive, from whatever storage holds it (disk or bucket)."""
    with default_storage.open(name, "rb") as stored:
        return _add_stream(tar, member, default_storage.size(name), stored, name=name)


def _add_stream(tar: tarfile.TarFile, member: str, size: int, stream, *, name: str = "") -> dict:
    """`size` bytes of `stream` into the archive, a chunk at a time: never whole in memory."""
    info = tarfile.TarInfo(member)
    info.size, info.mtime, info.mode = size, int(time.time()), 0o600
    hashing = _Hashing(stream)
    try:
        tar.addfile(info, hashing)
        changed = bool(stream.read(1))  # longer than its size said
    except OSError:  # shorter
        changed = True
    if changed:
        raise BackupError(
            _("The file %(name)s changed while it was backed up: back up again.")
            % {"name": name or member}
        )
    return {"sha256": hashing.digest.hexdigest(), "size": hashing.size}


def storage_place() -> str:
    """Where the files are kept, for messages: the media folder, or the bucket."""
    bucket = getattr(default_storage, "bucket_name", None)
    return f"s3://{bucket}" if bucket else str(settings.MEDIA_ROOT)


# ---- verify and restore ---------------------------------------------------------------------


def backup_verify(*, archive: Path) -> dict:
    """Check that `archive` is a backup whose every member has the SHA-256 and size its
    manifest says, and holds nothing else. Returns the manifest; raises BackupError."""
    try:
        with _open(archive) as tar:
            manifest = _read_manifest(tar)
            _check_members(tar, manifest)
            for member in tar.getmembers():
                if member.name == MANIFEST:
                    continue
                expected = manifest["members"][member.name]
                if member.size != expected["size"]:  # damaged: no need to read it
                    digest, size = "", member.size
                else:
                    digest, size = _hash(tar.extractfile(member))
                if (digest, size) != (expected["sha256"], expected["size"]):
                    raise BackupError(
                        _(
                            "The archive is damaged or was altered: %(member)s does not match "
                            "its SHA-256 in the manifest. Nothing was restored."
                        )
                        % {"member": member.name}
                    )
    except (OSError, EOFError, zlib.error, tarfile.TarError) as error:
        raise BackupError(
            _("The archive is damaged (%(error)s). Nothing was restored.") % {"error": error}
        ) from None
    return manifest


def backup_restore(*, archive: Path, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Rebuild an empty, migrated database and the media folder from `archive`.

    Everything is checked before anything is written: every member's SHA-256 and size, the
    migrations, that the database holds no data, that the data holds rows of the backed-up
    models only and names only files the archive holds, and that no other file has the name
    of a restored one. The rows are then loaded and the files written in one transaction: if any
    step fails, the database is left empty and the files written so far are removed."""
    manifest = backup_verify(archive=archive)
    _check_migrations(manifest, using)
    _check_empty(using)
    media = [name for name in manifest["members"] if name.startswith(MEDIA)]
    _check_media_free(media, manifest)
    written: list[str] = []
    try:
        with (
            transaction.atomic(using=using),
            _open(archive) as tar,
            tempfile.TemporaryDirectory() as scratch,
        ):
            data_path = Path(scratch) / DATA
            _extract(tar, DATA, manifest, data_path)
            _check_rows(data_path, media)
            # The history comes from the archive: restoring the links of an exchange must
            # not record new rows (simple-history listens to many-to-many changes).
            with (
                translation.override(settings.LANGUAGE_CODE),
                override_settings(SIMPLE_HISTORY_ENABLED=False),
            ):
                call_command("loaddata", str(data_path), database=using, verbosity=0)
            _reset_sequences(using)
            _check_counts(manifest, using)
            for member in media:
                name = member.removeprefix(MEDIA)
                if default_storage.exists(name):
                    continue  # the very same bytes (checked above)
                copy = Path(scratch) / "file"
                _extract(tar, member, manifest, copy)
                with copy.open("rb") as handle:
                    saved = default_storage.save(name, File(handle, name=name))
                copy.unlink()
                written.append(saved)
                if saved != name:
                    raise BackupError(
                        _("The file %(name)s could not keep its name.") % {"name": name}
                    )
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    cache.clear()  # what was kept was computed from other data
    return Summary(
        archive=Path(archive), objects=sum(manifest["counts"].values()), files=len(media)
    )


def _open(archive: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(archive, mode="r:gz")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(
            _("%(archive)s is not a backup archive (.tar.gz) that can be read: %(error)s")
            % {"archive": archive, "error": error}
        ) from None


def _read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember(MANIFEST)
        too_large = member.size > MAX_MANIFEST_BYTES
        text = b"" if too_large else tar.extractfile(member).read(MAX_MANIFEST_BYTES)
        manifest = None if too_large else json.loads(text)
    except (KeyError, AttributeError, ValueError, tarfile.TarError):
        raise BackupError(
            _("This archive has no readable manifest.json: it is not a Regard croisé backup.")
        ) from None
    except RecursionError:
        too_large = True
    if too_large or _depth(manifest) > MAX_MANIFEST_DEPTH:
        raise BackupError(
            _(
                "The manifest of this archive is too large or too deeply nested to be a Regard "
                "croisé backup's. Nothing was restored."
            )
        )
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("This archive is not a Regard croisé backup."))
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(
            _("This backup is in format version %(found)s; this version reads version %(known)s.")
            % {"found": manifest.get("version"), "known": FORMAT_VERSION}
        )
    members = manifest.get("members")
    if not isinstance(members, dict) or not all(
        isinstance(entry, dict)
        and isinstance(entry.get("sha256"), str)
        and isinstance(entry.get("size"), int)
        for entry in members.values()
    ):
        raise BackupError(_("The manifest of this backup does not list its members' SHA-256."))
    migrations, counts = manifest.get("migrations"), manifest.get("counts")
    if not (
        isinstance(migrations, dict)
        and all(
            isinstance(names, list) and all(isinstance(name, str) for name in names)
            for names in migrations.values()
        )
        and isinstance(counts, dict)
        and all(isinstance(count, int) for count in counts.values())
    ):
        raise BackupError(
            _("The manifest of this backup does not list its migrations and row counts.")
        )
    too_large = sorted(name for name, entry in members.items() if entry["size"] > MAX_MEMBER_BYTES)
    if too_large:
        raise BackupError(
            _(
                "%(members)s would weigh more than %(limit)s, more than a backup holds. "
                "Nothing was restored."
            )
            % {"members": ", ".join(too_large), "limit": filesizeformat(MAX_MEMBER_BYTES)}
        )
    return manifest


def _depth(value) -> int:
    """How deeply lists and objects nest in `value`, level by level (a hostile manifest
    cannot exhaust the stack), counted up to one more than MAX_MANIFEST_DEPTH."""
    depth, level = 0, [value]
    while depth <= MAX_MANIFEST_DEPTH:
        containers = [item for item in level if isinstance(item, dict | list)]
        if not containers:
            break
        depth += 1
        level = [
            child
            for item in containers
            for child in (item.values() if isinstance(item, dict) else item)
        ]
    return depth


def _safe_name(name: str) -> bool:
    return (
        name == DATA
        or name.startswith(MEDIA)
        and "\\" not in name
        and posixpath.normpath(name) == name
        and ".." not in name.split("/")
    )


def _check_members(tar: tarfile.TarFile, manifest: dict) -> None:
    """Exactly the members the manifest lists, each a plain file with a safe name."""
    names = [member.name for member in tar.getmembers()]
    listed = set(manifest.get("members", {})) | {MANIFEST}
    unsafe = [
        member.name
        for member in tar.getmembers()
        if not member.isfile() or member.name != MANIFEST and not _safe_name(member.name)
    ]
    problems = {
        "unsafe": unsafe,
        "not listed": sorted(set(names) - listed),
        "missing": sorted(listed - set(names)),
        "twice": sorted({name for name in names if names.count(name) > 1}),
    }
    if DATA not in listed:
        problems["missing"].append(DATA)
    if any(problems.values()):
        details = "; ".join(
            f"{kind}: {', '.join(found)}" for kind, found in problems.items() if found
        )
        raise BackupError(
            _(
                "The archive does not hold what its manifest lists (%(details)s): it was altered "
                "or is incomplete. Nothing was restored."
            )
            % {"details": details}
        )


def _hash(stream) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _extract(tar: tarfile.TarFile, name: str, manifest: dict, path: Path) -> None:
    """Copy a member to `path`, a chunk at a time, checked again as it is written (the
    archive could have changed since it was verified): never more than its manifest size."""
    expected = manifest["members"][name]
    digest, size = hashlib.sha256(), 0
    stream = tar.extractfile(tar.getmember(name))
    with path.open("wb") as out:
        while size <= expected["size"] and (chunk := stream.read(CHUNK)):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    if (digest.hexdigest(), size) != (expected["sha256"], expected["size"]):
        raise BackupError(
            _("%(member)s changed while it was restored. Nothing was restored.") % {"member": name}
        )


def _check_rows(data_path: Path, media: list[str]) -> None:
    """Before anything is loaded: the data holds rows of the backed-up models only (not the
    sessions, the login guard's records, the content types), and its file fields name files
    inside the media folder that the archive holds, as every file it holds is named."""
    try:
        with data_path.open(encoding="utf-8") as data:
            rows = json.load(data)
        shaped = isinstance(rows, list) and all(
            isinstance(row, dict)
            and isinstance(row.get("model"), str)
            and isinstance(row.get("fields"), dict)
            for row in rows
        )
        problem = "" if shaped else "rows"
    except (ValueError, RecursionError) as error:
        problem = type(error).__name__
    if problem:
        raise BackupError(
            _(
                "data.json is not the data of a Regard croisé backup (%(error)s). Nothing was "
                "restored."
            )
            % {"error": problem}
        )
    file_fields: dict[str, list[str]] = {}
    for model, field in _file_fields():
        file_fields.setdefault(_label(model), []).append(field.name)
    allowed = {_label(model) for model in dumped_models()}
    foreign = sorted({row["model"] for row in rows} - allowed)
    if foreign:
        raise BackupError(
            _(
                "The data holds rows of %(models)s, which a backup never holds. Nothing was "
                "restored."
            )
            % {"models": ", ".join(foreign)}
        )
    values = [row["fields"].get(name) for row in rows for name in file_fields.get(row["model"], [])]
    # A hostile value may be a list or an object: named, but never a file the archive holds.
    named = {value for value in values if isinstance(value, str) and value}
    held = {member.removeprefix(MEDIA) for member in media}
    not_names = {str(value) for value in values if value is not None and not isinstance(value, str)}
    wrong = sorted(not_names | (named - held)) + sorted(MEDIA + name for name in held - named)
    if wrong:
        raise BackupError(
            _(
                "The data names files outside the media folder or missing from the archive, or "
                "the archive holds files no row names (%(names)s). Nothing was restored."
            )
            % {"names": ", ".join(wrong)}
        )


def _check_migrations(manifest: dict, using: str) -> None:
    here = _applied_migrations(using)
    there = manifest.get("migrations", {})
    missing = sorted(
        f"{app}.{name}" for app in there for name in set(there[app]) - set(here.get(app, []))
    )
    extra = sorted(
        f"{app}.{name}" for app in here for name in set(here[app]) - set(there.get(app, []))
    )
    if missing and not extra:
        raise BackupError(
            _(
                "This database lacks migrations the backup was made with (%(missing)s): run "
                "`python manage.py migrate`, then restore."
            )
            % {"missing": ", ".join(missing)}
        )
    if extra or missing:
        latest = " ".join(f"{app} {names[-1]}" for app, names in there.items() if names)
        raise BackupError(
            _(
                "This database's migrations differ from the backup's (here but not in the "
                "backup: %(extra)s; in the backup but not here: %(missing)s). Restore with the "
                "version of Regard croisé that made the backup (its migrations: %(latest)s), "
                "then upgrade and migrate."
            )
            % {
                "extra": ", ".join(extra) or "—",
                "missing": ", ".join(missing) or "—",
                "latest": latest,
            }
        )


def _check_empty(using: str) -> None:
    holding = [_label(m) for m in dumped_models() if m._base_manager.using(using).exists()]
    if holding:
        raise BackupError(
            _(
                "This database already holds data (%(models)s). A backup is restored only into "
                "an empty database: create a new one and run `python manage.py migrate`, or "
                "empty this one with `python manage.py flush`, then restore again."
            )
            % {"models": ", ".join(holding)}
        )


def _check_media_free(media: list[str], manifest: dict) -> None:
    """No other file may have the name of a restored one; the very same bytes are fine."""
    taken = []
    for member in media:
        name = member.removeprefix(MEDIA)
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as stored:
                if _hash(stored)[0] != manifest["members"][member]["sha256"]:
                    taken.append(name)
    if taken:
        raise BackupError(
            _(
                "%(media_root)s already holds other files with the names of restored ones "
                "(%(names)s): restore into an empty media folder. Nothing was restored."
            )
            % {"media_root": storage_place(), "names": ", ".join(taken)}
        )


def _reset_sequences(using: str) -> None:
    """The next row gets a fresh id on PostgreSQL. `loaddata` resets the sequences of the
    models it loaded; this also covers the many-to-many tables, at no cost."""
    restored = dumped_models()
    restored += [
        field.remote_field.through
        for model in dumped_models()
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    ]
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), restored)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _check_counts(manifest: dict, using: str) -> None:
    counts = {_label(m): m._base_manager.using(using).count() for m in dumped_models()}
    if counts != manifest["counts"]:
        wrong = sorted(
            label
            for label in set(counts) | set(manifest["counts"])
            if counts.get(label) != manifest["counts"].get(label)
        )
        raise BackupError(
            _("The restored data does not have the rows the backup counted (%(models)s).")
            % {"models": ", ".join(wrong)}
        )
