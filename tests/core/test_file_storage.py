"""Where files go: on disk under DJANGO_MEDIA_ROOT by default, in a private S3-compatible
bucket when DJANGO_S3_BUCKET is set, and then nothing is written on the app server's disk.
Either way members download them through the site after the same checks."""

import hashlib
import os
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from exchanges.models import Attachment
from reporting import responses
from reporting.models import RestitutionFile, RestitutionVersion
from reporting.services import restitution_publish
from tests.factories import JPEG_BYTES, ExchangeFactory
from tests.reporting_factories import IMMEDIATE_TASKS, RestitutionFactory
from tests.s3 import new_bucket, store_in_bucket

pytestmark = pytest.mark.django_db


def files_on_disk(folder) -> list[str]:
    return sorted(
        os.path.relpath(os.path.join(root, name), folder)
        for root, _dirs, names in os.walk(folder)
        for name in names
    )


def settings_in_a_new_process(**environment) -> str:
    """The default storage the settings build from this environment."""
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; "
        "django.setup(); from django.conf import settings; "
        "print(settings.STORAGES['default']['BACKEND'], "
        "sorted(settings.STORAGES['default'].get('OPTIONS', {}).items()))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_S3")}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**env, **environment},
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_a_bucket_files_are_kept_on_disk():
    result = settings_in_a_new_process()

    assert result.stdout.startswith("django.core.files.storage.FileSystemStorage []")


def test_a_bucket_named_in_the_environment_keeps_every_file_private():
    result = settings_in_a_new_process(
        DJANGO_S3_BUCKET="regard-croise",
        DJANGO_S3_ENDPOINT_URL="https://s3.fr-par.scw.cloud",
        DJANGO_S3_REGION="fr-par",
    )

    assert result.stdout.startswith("storages.backends.s3.S3Storage")
    for option in [
        "('bucket_name', 'regard-croise')",
        "('endpoint_url', 'https://s3.fr-par.scw.cloud')",
        "('region_name', 'fr-par')",
        "('default_acl', None)",  # no public ACL: private, as a bucket is by default
        "('querystring_auth', True)",  # any URL of an object is signed…
        "('querystring_expire', 300)",  # …and short-lived
        "('file_overwrite', False)",  # a taken name gets a suffix, as on disk
    ]:
        assert option in result.stdout


def test_an_endpoint_that_is_not_a_url_is_refused_clearly():
    result = settings_in_a_new_process(
        DJANGO_S3_BUCKET="regard-croise", DJANGO_S3_ENDPOINT_URL="s3.example"
    )

    assert result.returncode != 0
    assert "DJANGO_S3_ENDPOINT_URL must be an http:// or https:// URL" in result.stderr


def upload_photo(client, exchange):
    data = {"caption_fr": "La délégation", "credit": "CD73"}
    data["file"] = SimpleUploadedFile("delegation.jpg", JPEG_BYTES, content_type="image/jpeg")
    return client.post(f"/fr/exchanges/{exchange.pk}/attachments/new/", data)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def published(settings, partnership, administrator):
    """The 2016 restitution, published (rendered at once)."""

    def publish():
        settings.TASKS = IMMEDIATE_TASKS
        restitution = RestitutionFactory(partnership=partnership)
        return restitution_publish(restitution=restitution, user=administrator, background=False)

    return publish


def test_without_a_bucket_uploads_and_publications_are_files_on_disk(
    client, media_root, officer_savoie, elected_official, published
):
    client.force_login(officer_savoie)
    assert upload_photo(client, ExchangeFactory()).status_code == 302
    version = published()

    photo = Attachment.objects.get()
    stored = files_on_disk(media_root)
    assert photo.file.name in stored
    assert {f.file.name for f in version.files.all()} | {version.stylesheet.name} <= set(stored)
    client.force_login(elected_official)
    assert body(client.get(f"/fr/exchanges/attachments/{photo.pk}/")) == JPEG_BYTES


def test_with_a_bucket_nothing_is_written_under_the_media_root(
    client, settings, media_root, s3_server, officer_savoie, elected_official, published
):
    bucket = new_bucket(s3_server)
    store_in_bucket(settings, bucket)
    client.force_login(officer_savoie)

    assert upload_photo(client, ExchangeFactory()).status_code == 302
    version = published()

    assert files_on_disk(media_root) == []
    photo = Attachment.objects.get()
    expected = {photo.file.name, version.stylesheet.name} | {
        stored.file.name for stored in version.files.all()
    }
    assert expected <= set(bucket.files())
    assert version.status == RestitutionVersion.Status.DONE
    # Members read them through the site, after the same checks as on disk.
    client.force_login(elected_official)
    assert body(client.get(f"/fr/exchanges/attachments/{photo.pk}/")) == JPEG_BYTES
    pdf = body(client.get("/fr/restitutions/2016/pdf/"))
    assert pdf.startswith(b"%PDF")
    assert hashlib.sha256(pdf).hexdigest() == version.files.get(edition="fr", format="pdf").sha256
    client.logout()
    assert client.get(f"/fr/exchanges/attachments/{photo.pk}/").status_code == 302


def test_a_published_object_changed_in_the_bucket_is_never_served(
    client, settings, media_root, s3_server, elected_official, published
):
    bucket = new_bucket(s3_server)
    store_in_bucket(settings, bucket)
    published()
    html = RestitutionFile.objects.get(edition="fr", format="html")
    client.force_login(elected_official)
    client.raise_request_exception = False
    responses._checked.clear()
    assert client.get("/fr/restitutions/2016/").status_code == 200

    original = bucket.client.get_object(Bucket=bucket.name, Key=html.file.name)["Body"].read()
    altered = original.replace(b"<html", b"<HTML", 1)  # same size, other bytes
    bucket.client.put_object(Bucket=bucket.name, Key=html.file.name, Body=altered)

    assert client.get("/fr/restitutions/2016/").status_code == 500
    assert responses._checked == {}  # a bucket's object is hashed on every request
