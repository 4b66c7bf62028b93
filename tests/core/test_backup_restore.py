"""A backup restored into an empty database gives back every record and every file, byte for
byte; an altered archive is refused before anything is written."""

import hashlib
import io
import json
import tarfile
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.sql import emit_post_migrate_signal
from django.db import DEFAULT_DB_ALIAS, connection
from django.utils import translation

from core.backup import DUMPED, dumped_models
from core.history import set_author
from exchanges.models import Attachment, Exchange
from partners.models import FundingLine, Organisation, Partnership
from reporting.models import RestitutionFile
from tests.factories import JPEG_BYTES, AttachmentFactory, ExchangeFactory, UserFactory
from tests.s3 import new_bucket, store_in_bucket

DEMO_PASSWORD = "regard-croise-demo"


def dumpdata() -> list[dict]:
    """What `dumpdata` says of everything the backup holds; content types and permissions by
    name, since their ids differ from one database to the next."""
    out = StringIO()
    with translation.override("fr"):
        call_command(
            "dumpdata",
            *DUMPED,
            natural_foreign=True,
            use_base_manager=True,
            stdout=out,
        )
    return json.loads(out.getvalue())


def raw_rows() -> dict[str, list[tuple]]:
    """Every column of every table the backup holds, as the database stores it (translated
    fields' original columns, times to the microsecond). Ids of content types and permissions
    are left to `dumpdata` above; so are the ids of many-to-many rows, which mean nothing."""
    by_name = {ContentType, Permission}
    tables = {}
    models = dumped_models()
    models += [
        field.remote_field.through for model in models for field in model._meta.local_many_to_many
    ]
    with connection.cursor() as cursor:
        for model in models:
            columns = [
                field.column
                for field in model._meta.concrete_fields
                if field.related_model not in by_name
                and not (model._meta.auto_created and field.primary_key)
            ]
            quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT {quoted} FROM {table} ORDER BY {quoted}")
            tables[model._meta.db_table] = cursor.fetchall()
    return tables


def files_in(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def empty_the_database() -> None:
    """The database as `migrate` leaves a new one: no data, content types and permissions
    made afresh. Placeholders take the first content type ids, so the new ids differ from the
    backed-up database's and restoring must find content types by name, as it would have to
    on another server."""
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    ContentType.objects.clear_cache()
    ContentType.objects.bulk_create(
        ContentType(app_label="placeholder", model=f"model{n}") for n in range(7)
    )
    emit_post_migrate_signal(verbosity=0, interactive=False, db=DEFAULT_DB_ALIAS)


def nothing_is_stored(media: Path) -> bool:
    return not any(m._base_manager.exists() for m in dumped_models()) and not files_in(media)


def backup(path: Path) -> Path:
    call_command("backup", output=path, stdout=StringIO())
    return path


def restore(archive: Path, *options) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("restore", str(archive), *options, stdout=out)
    return out.getvalue()


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.getvalue()


class Folder:
    """Files on disk under MEDIA_ROOT, as by default."""

    def __init__(self, settings, tmp_path):
        self.settings, self.tmp_path = settings, tmp_path
        settings.MEDIA_ROOT = tmp_path / "media"

    def files(self) -> dict[str, str]:
        return files_in(self.settings.MEDIA_ROOT)

    def empty_one(self) -> None:
        self.settings.MEDIA_ROOT = self.tmp_path / "restored-media"


class Bucket:
    """Files in a bucket of an S3-compatible server, as with DJANGO_S3_BUCKET."""

    def __init__(self, settings, s3_server):
        self.settings, self.s3_server = settings, s3_server
        self.empty_one()

    def files(self) -> dict[str, str]:
        return self.bucket.files()

    def empty_one(self) -> None:
        self.bucket = new_bucket(self.s3_server)
        store_in_bucket(self.settings, self.bucket)


@pytest.fixture(params=["folder", "bucket"])
def file_store(request, settings, tmp_path):
    """Where the files are kept: the round trip holds them whatever the store."""
    if request.param == "folder":
        yield Folder(settings, tmp_path)
        return
    store = Bucket(settings, request.getfixturevalue("s3_server"))
    settings.MEDIA_ROOT = tmp_path / "media"  # nothing may be written there
    yield store
    assert files_in(settings.MEDIA_ROOT) == {}


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_database_gives_back_every_record_and_file(
    client, settings, tmp_path, file_store
):
    call_command("load_demo", stdout=StringIO())
    admin = UserFactory(username="admin")
    visit = ExchangeFactory(partnership=Partnership.objects.get(), title_fr="Visite photo")
    photo = AttachmentFactory(exchange=visit, caption_fr="La délégation", caption_en="")
    line = FundingLine.objects.order_by("pk").first()
    line.amount += 500
    set_author(line, admin)
    line.save()  # a history row, by the admin
    LogEntry.objects.log_actions(admin.pk, [line], CHANGE, change_message="amount")
    readers = Group.objects.create(name="Relecteurs")
    readers.permissions.set(Permission.objects.filter(codename__in=["view_exchange"]))
    admin.groups.add(readers)
    admin.user_permissions.add(Permission.objects.get(codename="view_restitution"))
    records, rows, files = dumpdata(), raw_rows(), file_store.files()
    funding_line_type = ContentType.objects.get_for_model(FundingLine).pk
    assert [name.rpartition(".")[2] for name in files].count(
        "pdf"
    ) == 6  # 2016 and 2017: fr, en, bilingual
    assert {
        "attachments": Attachment.objects.count(),
        "published": RestitutionFile.objects.count(),
    } == {"attachments": 1, "published": 12}  # six files a published year

    archive = backup(tmp_path / "backups" / "site.tar.gz")
    empty_the_database()
    file_store.empty_one()
    assert not Partnership.objects.exists()
    assert file_store.files() == {}
    assert ContentType.objects.get_for_model(FundingLine).pk != funding_line_type

    message = restore(archive)

    assert "Restored" in message
    assert dumpdata() == records
    assert raw_rows() == rows
    assert file_store.files() == files
    for stored in RestitutionFile.objects.all():
        assert hashlib.sha256(stored.file.read()).hexdigest() == stored.sha256
    changed = FundingLine.history.filter(id=line.pk, history_type="~").get()
    assert changed.history_user == admin and changed.amount == line.amount
    assert Exchange.history.filter(id=visit.pk).exists()  # with its links' history
    assert Exchange.history.model.strands.model.objects.exists()
    # The restored site works: logins, published PDFs, photos, and new rows get new ids.
    login = {"username": "elu-savoie", "password": DEMO_PASSWORD}
    assert client.post("/fr/accounts/login/", login).status_code == 302
    pdf = body(client.get("/fr/restitutions/2016/pdf/"))
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() in files.values()
    assert body(client.get(f"/fr/exchanges/attachments/{photo.pk}/")) == JPEG_BYTES
    new_line = FundingLine.objects.create(
        partnership=Partnership.objects.get(),
        funder=Organisation.objects.first(),
        amount=10,
        period_start=line.period_start,
        period_end=line.period_end,
    )
    assert new_line.pk > line.pk
    assert ExchangeFactory(partnership=Partnership.objects.get()).pk > visit.pk


# ---- refusals --------------------------------------------------------------------------------


@pytest.fixture
def archive(tmp_path, media_root):
    """A small site with a photo, backed up."""
    AttachmentFactory(exchange=ExchangeFactory(title_fr="Visite"))
    return backup(tmp_path / "site.tar.gz")


def members_of(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def write_archive(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def photo_member(members: dict) -> str:
    return next(name for name in members if name.startswith("media/exchanges/"))


def change_photo(members):
    name = photo_member(members)
    members[name] = members[name][:-1] + b"\x01"


def change_data(members):
    members["data.json"] = members["data.json"].replace(b'"Visite"', b'"Visite modifi\xc3\xa9e"')


def add_file(members):
    members["media/exchanges/1/extra.jpg"] = JPEG_BYTES


def drop_photo(members):
    del members[photo_member(members)]


def escape_media_folder(members):
    evil = b"#!/bin/sh\n"
    members["media/../../outside.sh"] = evil
    manifest = json.loads(members["manifest.json"])
    manifest["members"]["media/../../outside.sh"] = {
        "sha256": hashlib.sha256(evil).hexdigest(),
        "size": len(evil),
    }
    members["manifest.json"] = json.dumps(manifest).encode()


def change_manifest(members):
    manifest = json.loads(members["manifest.json"])
    manifest["members"][photo_member(members)]["sha256"] = "0" * 64
    members["manifest.json"] = json.dumps(manifest).encode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "tamper, refusal",
    [
        (change_photo, r"damaged or was altered: media/exchanges/\d+/\w+\.jpg does not match"),
        (change_data, "damaged or was altered: data.json does not match"),
        (change_manifest, r"media/exchanges/\d+/\w+\.jpg does not match its SHA-256"),
        (add_file, "not listed: media/exchanges/1/extra.jpg"),
        (drop_photo, r"missing: media/exchanges/\d+/\w+\.jpg"),
        (escape_media_folder, r"unsafe: media/\.\./\.\./outside\.sh"),
    ],
    ids=["photo", "data", "manifest", "extra-file", "missing-file", "path-escape"],
)
def test_an_altered_archive_is_refused_and_nothing_is_written(
    settings, tmp_path, archive, tamper, refusal
):
    members = members_of(archive)
    tamper(members)
    altered = write_archive(tmp_path / "altered.tar.gz", members)
    empty_the_database()
    settings.MEDIA_ROOT = tmp_path / "restored-media"

    with pytest.raises(CommandError, match=refusal) as refused:
        restore(altered)

    assert "Nothing was restored" in str(refused.value)
    assert nothing_is_stored(settings.MEDIA_ROOT)
    assert not (tmp_path / "outside.sh").exists()
    with pytest.raises(CommandError, match=refusal):
        restore(altered, "--check")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "damage, refusal",
    [
        (lambda data: data[: len(data) // 2], "is damaged"),
        (lambda data: b"not an archive at all", "is not a backup archive"),
    ],
    ids=["truncated", "not-an-archive"],
)
def test_a_damaged_or_foreign_file_is_refused(tmp_path, archive, damage, refusal):
    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(damage(archive.read_bytes()))

    with pytest.raises(CommandError, match=refusal):
        restore(damaged)


@pytest.mark.django_db
def test_restore_refuses_a_database_that_already_holds_data(settings, tmp_path, archive):
    before = raw_rows()
    settings.MEDIA_ROOT = tmp_path / "restored-media"

    with pytest.raises(CommandError, match="already holds data .*flush"):
        restore(archive)

    assert raw_rows() == before
    assert files_in(settings.MEDIA_ROOT) == {}


@pytest.mark.django_db
def test_restore_refuses_a_database_migrated_differently(tmp_path, archive):
    members = members_of(archive)
    manifest = json.loads(members["manifest.json"])
    manifest["migrations"]["partners"].append("0099_future")
    members["manifest.json"] = json.dumps(manifest).encode()

    with pytest.raises(CommandError, match=r"lacks migrations .*partners\.0099_future.*migrate"):
        restore(write_archive(tmp_path / "future.tar.gz", members))


@pytest.mark.django_db
def test_restore_check_reads_an_intact_archive_and_writes_nothing(archive):
    before = raw_rows()

    assert "intact: 2 members match their SHA-256" in restore(archive, "--check")
    assert raw_rows() == before


@pytest.mark.django_db
def test_a_backup_is_readable_by_its_owner_only(archive):
    assert archive.stat().st_mode & 0o777 == 0o600


@pytest.mark.django_db
def test_backup_refuses_when_an_uploaded_file_is_missing(tmp_path, media_root):
    photo = AttachmentFactory(exchange=ExchangeFactory())
    (media_root / photo.file.name).unlink()
    output = tmp_path / "site.tar.gz"

    with translation.override("en"), pytest.raises(CommandError, match=photo.file.name):
        call_command("backup", output=output, stdout=StringIO())

    assert not output.exists()
    assert Exchange.objects.exists()
