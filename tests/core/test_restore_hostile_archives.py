"""A damaged, altered or hostile backup (a member changed, cut short, files outside the storage
in its media archive, a dump that is no database) is refused with a clear message before
anything is written, or, for a dump that only the database engine can find wrong, leaves the
database and the storage as they were."""

import gzip
import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from exchanges.models import Exchange
from tests.core.test_backup_restore import (
    a_database_just_made_by_migrate,
    backup,
    dumpdata,
    files_in,
    restore,
)
from tests.factories import AttachmentFactory, ExchangeFactory


@pytest.fixture
def site_backup(tmp_path, media_root):
    """A small site with a photo, backed up."""
    AttachmentFactory(exchange=ExchangeFactory(title_fr="Visite"))
    return backup(tmp_path / "site.tar")


def members_of(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def write_archive(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def sign(members: dict, name: str) -> None:
    """Write the manifest entry of `name` anew, as a forger would."""
    manifest = json.loads(members["manifest.json"])
    data = members[name]
    manifest["members"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    members["manifest.json"] = json.dumps(manifest).encode()


def flip_last_byte(name):
    def tamper(members):
        members[name] = members[name][:-1] + bytes([members[name][-1] ^ 1])

    return tamper


def media_with(*extra: tarfile.TarInfo, signed: bool = True):
    """The media archive with `extra` members added, the manifest rewritten to match."""

    def tamper(members):
        out = io.BytesIO()
        with (
            tarfile.open(fileobj=io.BytesIO(members["media.tar"])) as original,
            tarfile.open(fileobj=out, mode="w") as tar,
        ):
            for member in original:
                tar.addfile(member, original.extractfile(member))
            for info in extra:
                payload = b"#!/bin/sh\n" if info.isfile() else b""
                info.size = len(payload)
                tar.addfile(info, io.BytesIO(payload))
        members["media.tar"] = out.getvalue()
        if signed:
            sign(members, "media.tar")

    return tamper


def named(name: str, kind=tarfile.REGTYPE, target: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info


def add_member(members):
    members["extra.sql"] = b"DROP TABLE auth_user;"


def drop_media(members):
    del members["media.tar"]


def wrong_manifest_sum(members):
    manifest = json.loads(members["manifest.json"])
    manifest["members"]["database.gz"]["sha256"] = "0" * 64
    members["manifest.json"] = json.dumps(manifest).encode()


def other_engine(members):
    manifest = json.loads(members["manifest.json"])
    manifest["engine"] = "mysql"
    members["manifest.json"] = json.dumps(manifest).encode()


def newer_release(members):
    manifest = json.loads(members["manifest.json"])
    manifest["migrations"].append("partners.0099_future")
    members["manifest.json"] = json.dumps(manifest).encode()


def manifest_not_json(members):
    members["manifest.json"] = b"{" * 100_000


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("tamper", "refusal"),
    [
        (flip_last_byte("database.gz"), "altered: database.gz does not match its SHA-256"),
        (flip_last_byte("media.tar"), "altered: media.tar does not match its SHA-256"),
        (flip_last_byte("database.gz.metadata"), "altered: database.gz.metadata does not match"),
        (wrong_manifest_sum, "altered: database.gz does not match its SHA-256"),
        (media_with(named("exchanges/1/planted.jpg"), signed=False), "media.tar does not match"),
        (media_with(named("../../outside.sh")), r"outside the storage .*\.\./\.\./outside\.sh"),
        (media_with(named("/tmp/outside.sh")), "outside the storage .*/tmp/outside.sh"),
        (media_with(named("a/../../outside.sh")), r"outside the storage .*a/\.\./\.\./outside"),
        (media_with(named("link", tarfile.SYMTYPE, "/etc/passwd")), "outside the storage .*link"),
        (add_member, "does not hold what a backup holds"),
        (drop_media, "does not hold what a backup holds"),
        (other_engine, "backup is of a mysql database.*README"),
        (newer_release, r"newer release .*partners\.0099_future"),
        (manifest_not_json, "no readable manifest.json"),
    ],
    ids=[
        "database",
        "media",
        "metadata",
        "manifest-sum",
        "unsigned-media",
        "dot-dot",
        "absolute",
        "dot-dot-inside",
        "symlink",
        "extra-member",
        "missing-member",
        "other-engine",
        "newer-release",
        "manifest-not-json",
    ],
)
def test_an_altered_backup_is_refused_and_nothing_is_written(
    settings, tmp_path, site_backup, tamper, refusal
):
    members = members_of(site_backup)
    tamper(members)
    altered = write_archive(tmp_path / "altered.tar", members)
    a_database_just_made_by_migrate()
    before = dumpdata()
    settings.MEDIA_ROOT = tmp_path / "restored-media"

    with pytest.raises(CommandError, match=refusal):
        restore(altered)

    assert dumpdata() == before
    assert files_in(settings.MEDIA_ROOT) == {}
    assert not (tmp_path / "outside.sh").exists()
    assert not Path("/tmp/outside.sh").exists()


def offset_of(member: str, data: bytes) -> int:
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        return tar.getmember(member).offset_data


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("damage", "refusal"),
    [
        (lambda data: data[: len(data) // 2], "damaged"),
        (lambda data: data[: offset_of("manifest.json", data) + 10], "damaged"),
        (lambda data: data[: offset_of("media.tar", data) + 1000], "damaged"),
        (lambda data: b"not an archive at all", "damaged or is not a backup"),
    ],
    ids=["cut-in-half", "manifest-cut", "media-cut", "not-an-archive"],
)
def test_a_truncated_or_foreign_file_is_refused(settings, tmp_path, site_backup, damage, refusal):
    damaged = tmp_path / "damaged.tar"
    damaged.write_bytes(damage(site_backup.read_bytes()))
    before = dumpdata()
    settings.MEDIA_ROOT = tmp_path / "restored-media"

    with pytest.raises(CommandError, match=refusal):
        restore(damaged)
    with pytest.raises(CommandError, match=refusal):
        restore(damaged, "--check")

    assert dumpdata() == before
    assert files_in(settings.MEDIA_ROOT) == {}


@pytest.mark.django_db(transaction=True)
def test_a_signed_dump_that_is_no_database_leaves_the_database_and_the_files_as_they_were(
    settings, tmp_path, site_backup
):
    members = members_of(site_backup)
    members["database.gz"] = gzip.compress(b"this is not a database dump")
    sign(members, "database.gz")
    forged = write_archive(tmp_path / "forged.tar", members)
    a_database_just_made_by_migrate()
    before = dumpdata()
    settings.MEDIA_ROOT = tmp_path / "restored-media"

    with pytest.raises(CommandError, match="could not be restored; it was left as it was"):
        restore(forged)

    assert dumpdata() == before
    assert not Exchange.objects.exists()
    assert files_in(settings.MEDIA_ROOT) == {}  # the files written first were removed
