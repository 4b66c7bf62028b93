"""An archive made to harm the site (rows it never holds, files outside the media folder,
members or a manifest too large or too deep) is refused with a clear message, before anything
is written, and without reading whole members into memory."""

import hashlib
import json
import tarfile

import pytest
from django.core.management.base import CommandError

from core import backup as core_backup
from tests.core.test_backup_restore import (
    backup,
    empty_the_database,
    members_of,
    nothing_is_stored,
    restore,
    write_archive,
)
from tests.factories import AttachmentFactory, ExchangeFactory


@pytest.fixture
def site_backup(tmp_path, media_root):
    """A small site with a photo, backed up."""
    AttachmentFactory(exchange=ExchangeFactory(title_fr="Visite"))
    return backup(tmp_path / "site.tar.gz")


def replace_member(members: dict, name: str, data: bytes) -> None:
    """Change a member and its manifest entry, as a forger would."""
    members[name] = data
    manifest = json.loads(members["manifest.json"])
    manifest["members"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    members["manifest.json"] = json.dumps(manifest).encode()


def change_rows(members: dict, change) -> None:
    rows = json.loads(members["data.json"])
    change(rows)
    replace_member(members, "data.json", json.dumps(rows).encode())


def add_session(rows):
    rows.append(
        {
            "model": "sessions.session",
            "pk": "planted",
            "fields": {"session_data": "e30:1", "expire_date": "2099-01-01T00:00:00Z"},
        }
    )


def add_lockout(rows):
    rows.append(
        {
            "model": "axes.accessattempt",
            "pk": 1,
            "fields": {"username": "admin", "ip_address": "127.0.0.1", "failures_since_start": 9},
        }
    )


def attachment_named(path: str):
    def change(rows):
        row = next(row for row in rows if row["model"] == "exchanges.attachment")
        row["fields"]["file"] = path

    return change


def add_unnamed_file(members):
    replace_member(members, "media/exchanges/1/planted.html", b"<script>alert(1)</script>")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "tamper, refusal",
    [
        (lambda m: change_rows(m, add_session), "rows of sessions.session"),
        (lambda m: change_rows(m, add_lockout), "rows of axes.accessattempt"),
        (
            lambda m: change_rows(m, attachment_named("../../etc/passwd")),
            r"outside the media folder.*\.\./\.\./etc/passwd",
        ),
        (
            lambda m: change_rows(m, attachment_named("/etc/passwd")),
            "outside the media folder.*/etc/passwd",
        ),
        (add_unnamed_file, "files no row names.*planted.html"),
        (lambda m: change_rows(m, attachment_named({"a": 1})), "{'a': 1}"),
    ],
    ids=["session", "lockout", "dot-dot", "absolute", "unnamed-file", "not-a-name"],
)
def test_data_beyond_the_backups_scope_is_refused_and_nothing_is_written(
    settings,
    tmp_path,
    site_backup,
    tamper,
    refusal,
):
    members = members_of(site_backup)
    tamper(members)
    hostile = write_archive(tmp_path / "hostile.tar.gz", members)
    empty_the_database()
    settings.MEDIA_ROOT = tmp_path / "restored-media"

    with pytest.raises(CommandError, match=refusal) as refused:
        restore(hostile)

    assert "Nothing was restored" in str(refused.value)
    assert nothing_is_stored(settings.MEDIA_ROOT)


def nested(levels: int):
    """The manifest with a list nested `levels` deep (written by hand: json.dumps would
    recurse as deep)."""
    return lambda manifest: (
        json.dumps(manifest)[:-1] + ', "deep": ' + "[" * levels + "]" * levels + "}"
    )


def changed(**changes):
    return lambda manifest: json.dumps({**manifest, **changes})


@pytest.mark.django_db
@pytest.mark.parametrize(
    "rewrite, refusal",
    [
        (nested(100_000), "too large or too deeply nested"),
        (nested(10), "too large or too deeply nested"),
        (changed(migrations=["partners"]), "does not list its migrations"),
        (changed(counts={"partners.partnership": "1"}), "row counts"),
    ],
    ids=["deepest", "deep", "migrations-a-list", "count-a-string"],
)
def test_a_malformed_manifest_is_refused_with_a_message(tmp_path, site_backup, rewrite, refusal):
    members = members_of(site_backup)
    members["manifest.json"] = rewrite(json.loads(members["manifest.json"])).encode()
    hostile = write_archive(tmp_path / "hostile.tar.gz", members)

    with pytest.raises(CommandError, match=refusal):
        restore(hostile)
    with pytest.raises(CommandError, match=refusal):
        restore(hostile, "--check")


@pytest.mark.django_db
def test_a_manifest_too_large_is_refused_unread(tmp_path, site_backup, monkeypatch):
    monkeypatch.setattr(core_backup, "MAX_MANIFEST_BYTES", 100)

    with pytest.raises(CommandError, match="too large or too deeply nested"):
        restore(site_backup, "--check")


@pytest.mark.django_db
def test_a_member_larger_than_a_backup_holds_is_refused_unread(
    tmp_path,
    site_backup,
    monkeypatch,
):
    monkeypatch.setattr(core_backup, "MAX_MEMBER_BYTES", 10)
    read = []
    monkeypatch.setattr(core_backup, "_hash", lambda stream: read.append(stream))

    with pytest.raises(CommandError, match="data.json.* would weigh more than 10"):
        restore(site_backup, "--check")
    assert read == []


@pytest.mark.django_db(transaction=True)
def test_members_are_copied_to_disk_a_chunk_at_a_time(
    settings,
    tmp_path,
    site_backup,
    monkeypatch,
):
    empty_the_database()
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    sizes = []
    original = tarfile.ExFileObject.read

    def read(self, size=-1):
        sizes.append(size)
        return original(self, size)

    monkeypatch.setattr(tarfile.ExFileObject, "read", read)

    assert "Restored" in restore(site_backup)
    assert sizes and all(size > 0 for size in sizes)  # never "the whole member"
    # a chunk at a time, but for the manifest, read once up to its cap
    assert [size for size in sizes if size > core_backup.CHUNK] == [core_backup.MAX_MANIFEST_BYTES]
