"""A published file changed on disk is never served, even when whoever changed it kept its
size and put its modification time back (`touch -d`, `os.utime`): the inode's change time
tells, and a storage without files on disk hashes every time."""

import os

import pytest

from reporting import responses
from reporting.models import RestitutionFile
from reporting.services import restitution_publish
from tests.reporting_factories import RestitutionFactory, isolate_publishing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    isolate_publishing(settings, tmp_path)
    responses._checked.clear()  # what an earlier test checked in this process


@pytest.fixture
def published_html(partnership, administrator):
    restitution = RestitutionFactory(partnership=partnership)
    restitution_publish(restitution=restitution, user=administrator, background=False)
    return RestitutionFile.objects.get(edition="fr", format="html")


def _edit_in_place_keeping_size_and_mtime(path: str) -> None:
    before = os.stat(path)
    with open(path, "r+b") as file:
        data = file.read()
        file.seek(0)
        file.write(data.replace(b"<html", b"<HTML", 1))  # same size, other bytes
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_a_file_edited_in_place_with_its_size_and_mtime_kept_is_refused(
    client, published_html, elected_official
):
    client.force_login(elected_official)
    client.raise_request_exception = False
    assert client.get("/fr/restitutions/2016/").status_code == 200  # checked, then remembered

    _edit_in_place_keeping_size_and_mtime(published_html.file.path)

    assert client.get("/fr/restitutions/2016/").status_code == 500
    client.raise_request_exception = True  # the 500 is the check's refusal, not another fault
    with pytest.raises(RuntimeError, match="does not match its SHA-256"):
        client.get("/fr/restitutions/2016/")


def test_an_unchanged_file_is_hashed_once(client, published_html, elected_official, monkeypatch):
    client.force_login(elected_official)
    assert client.get("/fr/restitutions/2016/").status_code == 200
    hashed = []
    real = responses.hashlib.file_digest
    monkeypatch.setattr(
        responses.hashlib, "file_digest", lambda *a, **k: hashed.append(1) or real(*a, **k)
    )

    assert client.get("/fr/restitutions/2016/").status_code == 200
    assert hashed == []


def test_a_storage_without_files_on_disk_is_hashed_on_every_request(
    client, published_html, elected_official, monkeypatch
):
    """S3 and the like: no inode to compare, so no shortcut."""
    monkeypatch.setattr(responses, "_file_state", lambda file, name: None)
    client.force_login(elected_official)
    hashed = []
    real = responses.hashlib.file_digest
    monkeypatch.setattr(
        responses.hashlib, "file_digest", lambda *a, **k: hashed.append(1) or real(*a, **k)
    )

    for _ in range(2):
        assert client.get("/fr/restitutions/2016/").status_code == 200
    assert hashed == [1, 1]
