"""A backup restored into a database just made by `migrate` gives back every record and every
file, byte for byte, on SQLite and PostgreSQL (DATABASE_URL), with the files on disk or in a
bucket; a database holding data of its own is refused unless --force; the scheduled backups
keep the newest BACKUP_KEEP."""

import hashlib
import importlib
import json
import os
from io import StringIO
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation

from core.backup import data_held
from core.history import set_author
from core.models import WorkerHeartbeat
from exchanges.models import Attachment, EstablishmentKind, Exchange
from partners.models import FundingLine, Organisation, Partnership
from reporting.models import RestitutionFile
from tests.factories import JPEG_BYTES, AttachmentFactory, ExchangeFactory, UserFactory
from tests.s3 import new_bucket, store_in_bucket

DEMO_PASSWORD = "regard-croise-demo"
#: What an administrator would check after a restore: every row of the site's data.
SITE_DATA = [
    "partners",
    "observatory",
    "exchanges",
    "reporting",
    "auth.user",
    "auth.group",
    "admin.logentry",
]


def dumpdata() -> list[dict]:
    """Every row of the site's data; content types and permissions by name, since their ids
    may differ from one database to the next."""
    out = StringIO()
    with translation.override("fr"):
        call_command(
            "dumpdata", *SITE_DATA, natural_foreign=True, use_base_manager=True, stdout=out
        )
    return sorted(json.loads(out.getvalue()), key=lambda row: (row["model"], str(row["pk"])))


def files_in(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def establishment_kinds_migration():
    return importlib.import_module("exchanges.migrations.0008_establishment_kinds")


def a_database_just_made_by_migrate() -> None:
    """The database as `migrate` leaves a new one: content types and permissions, the kinds of
    establishment migration 0008 creates, and the superuser an administrator adds first."""
    call_command("flush", interactive=False, verbosity=0)  # post_migrate: types, permissions
    establishment_kinds_migration().create_former_kinds(apps, None)
    User.objects.create_superuser("root", "root@example.org", "a-new-server")
    assert EstablishmentKind.objects.count() == 7
    assert data_held() == {}


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
def test_a_backup_restored_into_a_database_just_made_by_migrate_gives_back_every_record_and_file(
    client, tmp_path, file_store
):
    call_command("load_demo", stdout=StringIO())
    admin = User.objects.get(username="admin")
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
    records, files = dumpdata(), file_store.files()
    # 2016 and 2017 are published: each year's fr, en and bilingual editions, six files a year
    assert [name.rpartition(".")[2] for name in files].count("pdf") == 6
    assert Attachment.objects.count() == 1
    assert RestitutionFile.objects.count() == 12

    archive = backup(tmp_path / "backups" / "site.tar")
    a_database_just_made_by_migrate()
    file_store.empty_one()
    assert file_store.files() == {}

    message = restore(archive)

    assert "Restored the" in message
    assert f"{len(files)} files" in message
    assert dumpdata() == records
    assert file_store.files() == files  # byte for byte
    assert not User.objects.filter(username="root").exists()  # the backup's accounts only
    changed = FundingLine.history.filter(id=line.pk, history_type="~").get()
    assert changed.history_user == admin
    assert changed.amount == line.amount
    # The restored site works: logins, published PDFs, photos, and new rows get new ids.
    login = {"username": "elu-savoie", "password": DEMO_PASSWORD}
    assert client.post("/fr/accounts/login/", login).status_code == 302
    pdf = body(client.get("/fr/restitutions/2016/pdf/"))
    assert pdf.startswith(b"%PDF")
    assert hashlib.sha256(pdf).hexdigest() in files.values()
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


@pytest.fixture
def site_backup(tmp_path, media_root):
    """A small site with a photo, backed up."""
    AttachmentFactory(exchange=ExchangeFactory(title_fr="Visite"))
    return backup(tmp_path / "site.tar")


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_holding_data_and_force_replaces_it(
    settings, tmp_path, site_backup
):
    records, files = dumpdata(), files_in(settings.MEDIA_ROOT)
    Exchange.objects.update(title_fr="Changé depuis la sauvegarde")
    UserFactory(username="new-officer")
    changed = dumpdata()
    settings.MEDIA_ROOT = tmp_path / "restored-media"

    with pytest.raises(
        CommandError, match=r"already holds data \(.*exchanges\.exchange: 1.*--force"
    ):
        restore(site_backup)

    assert dumpdata() == changed
    assert files_in(settings.MEDIA_ROOT) == {}

    assert "Restored the" in restore(site_backup, "--force")
    assert dumpdata() == records
    assert files_in(settings.MEDIA_ROOT) == files


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_to_replace_other_files_unless_forced(settings, tmp_path, site_backup):
    taken = next(iter(files_in(settings.MEDIA_ROOT)))
    a_database_just_made_by_migrate()
    (settings.MEDIA_ROOT / taken).write_bytes(b"another file")

    with pytest.raises(CommandError, match=f"other files with the names.*{taken}"):
        restore(site_backup)
    assert (settings.MEDIA_ROOT / taken).read_bytes() == b"another file"
    assert not Exchange.objects.exists()

    restore(site_backup, "--force")
    assert (settings.MEDIA_ROOT / taken).read_bytes() != b"another file"
    assert Exchange.objects.get().title_fr == "Visite"


def add_superuser():
    User.objects.create_superuser("root", "root@example.org", "pw")


def add_officer():
    UserFactory(username="officer")


def add_exchange():
    ExchangeFactory()


def add_session():
    Session.objects.create(session_key="k" * 32, session_data="e30:1", expire_date=timezone.now())


def add_login_attempt():
    AccessAttempt.objects.create(username="x", ip_address="127.0.0.1", failures_since_start=3)


def add_heartbeat():
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="w", started_at=now, beat_at=now)


def add_establishment_kind():
    EstablishmentKind.objects.create(slug="cprs", name="CPRS", order=80)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "held"),
    [
        (lambda: None, set()),
        (add_superuser, set()),
        (add_session, set()),
        (add_login_attempt, set()),
        (add_heartbeat, set()),
        (add_establishment_kind, set()),
        (add_officer, {"auth.user"}),
        (add_exchange, {"exchanges.exchange", "partners.partnership", "partners.territory"}),
    ],
    ids=[
        "new",
        "superuser",
        "session",
        "login-attempt",
        "heartbeat",
        "kind",
        "officer",
        "exchange",
    ],
)
def test_what_counts_as_the_sites_own_data(change, held):
    establishment_kinds_migration().create_former_kinds(apps, None)
    change()

    assert held <= set(data_held())
    assert held or data_held() == {}


@pytest.mark.django_db(transaction=True)
def test_restore_check_reads_an_intact_backup_and_writes_nothing(site_backup):
    before = dumpdata()

    assert "intact: 3 members match their SHA-256" in restore(site_backup, "--check")
    assert dumpdata() == before


@pytest.mark.django_db(transaction=True)
def test_a_backup_is_readable_by_its_owner_only(site_backup):
    assert site_backup.stat().st_mode & 0o777 == 0o600


@pytest.mark.django_db(transaction=True)
def test_the_daily_backup_keeps_the_newest_backup_keep_in_backup_dir(
    settings, tmp_path, media_root
):
    settings.BACKUP_DIR, settings.BACKUP_KEEP = tmp_path / "backups", 3
    settings.BACKUP_DIR.mkdir()
    older = [settings.BACKUP_DIR / f"regard-croise-2026010{day}-021500.tar" for day in range(1, 6)]
    for path in older:
        path.write_bytes(b"an older backup")
    kept_aside = settings.BACKUP_DIR / "before-the-upgrade.tar"
    kept_aside.write_bytes(b"named by hand")
    ExchangeFactory()

    out = StringIO()
    with translation.override("en"):
        call_command("backup", stdout=out)

    remaining = sorted(path.name for path in settings.BACKUP_DIR.iterdir())
    new = [
        name for name in remaining if name.startswith("regard-croise-") and "2026010" not in name
    ]
    assert len(new) == 1
    assert remaining == sorted([older[3].name, older[4].name, new[0], kept_aside.name])
    assert out.getvalue().count("Removed the older backup") == 3
    assert "intact" in restore(settings.BACKUP_DIR / new[0], "--check")


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="pg_dump is checked on PostgreSQL only",
)
@pytest.mark.django_db(transaction=True)
def test_backup_names_the_client_to_install_when_pg_dump_is_older_than_the_server(
    tmp_path, monkeypatch
):
    fake = tmp_path / "bin" / "pg_dump"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:{os.environ['PATH']}")

    with translation.override("en"), pytest.raises(CommandError, match="postgresql-client-1"):
        call_command("backup", output=tmp_path / "site.tar", stdout=StringIO())
    assert not (tmp_path / "site.tar").exists()
