"""Any request may go to any app server, and any task to any worker: two gunicorn servers and
two task workers share nothing but PostgreSQL, Redis and an S3-compatible bucket (moto).
An officer logs an exchange with a photo on A and it is read on B at once; an administrator
publishes on B, the worker rendering it is killed, the other one finishes it, and an elected
official downloads the PDF on A; the bucket holds exactly the files the database names, none
readable without signing; the login guards count across servers."""

import hashlib
import io
import json
import os
import re
import signal
import subprocess
import time
import uuid
from pathlib import Path

import boto3
import pytest
import requests
from PIL import Image
from requests.adapters import HTTPAdapter

from .conftest import PASSWORD, ROOT, log_in, sql


def _photo() -> bytes:
    """A small real JPEG, with no location to strip: stored and served byte for byte."""
    image = Image.new("RGB", (64, 48), (200, 120, 40))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


PHOTO = _photo()


def csrf(session: requests.Session) -> str:
    return session.cookies["csrftoken"]


def option_value(html: str, select: str, label: str) -> str:
    field = re.search(rf'<select name="{select}".*?</select>', html, re.S)[0]
    return re.search(rf'<option value="([^"]*)"[^>]*>{label}</option>', field)[1]


def test_an_exchange_logged_on_server_a_is_read_with_its_photo_on_server_b(server_a, server_b):
    officer = log_in(server_a, "officer-savoie")
    form = officer.get(f"{server_a}/fr/exchanges/new/", timeout=60).text
    title = f"Visite à deux serveurs {uuid.uuid4().hex[:8]}"
    created = officer.post(
        f"{server_a}/fr/exchanges/new/",
        {
            "csrfmiddlewaretoken": csrf(officer),
            "version": "",
            "kind": "field_visit",
            "title_fr": title,
            "start_date": "2016-09-14",
            "end_date": "2016-09-14",
            "place": "Chambéry",
            "host_territory": option_value(form, "host_territory", "Savoie"),
            "visiting_territory": option_value(form, "visiting_territory", "Bignona"),
            "professionals_met_count": "4",
            "elected_officials_count": "1",
            "technical_staff_count": "2",
        },
        allow_redirects=False,
        timeout=60,
    )
    assert created.status_code == 302, created.text[:2000]
    exchange = re.fullmatch(r"/fr/exchanges/(\d+)/", created.headers["Location"])[1]
    uploaded = officer.post(
        f"{server_a}/fr/exchanges/{exchange}/attachments/new/",
        {"csrfmiddlewaretoken": csrf(officer), "caption_fr": "La délégation", "credit": "CD73"},
        files={"file": ("delegation.jpg", PHOTO, "image/jpeg")},
        allow_redirects=False,
        timeout=60,
    )
    assert uploaded.status_code == 302, uploaded.text[:2000]

    # The same browser, its next requests sent to B (no sticky session): logged in there too.
    page = officer.get(f"{server_b}/fr/exchanges/{exchange}/", timeout=60)

    assert page.status_code == 200
    assert title in page.text
    assert "La délégation" in page.text
    photo = re.search(r'href="(/fr/exchanges/attachments/\d+/)"', page.text)[1]
    served = officer.get(f"{server_b}{photo}", timeout=60)
    assert served.status_code == 200
    assert served.content == PHOTO
    # And an elected official who logged in on B reads it there too.
    official = log_in(server_b, "elu-bignona")
    assert official.get(f"{server_b}{photo}", timeout=60).content == PHOTO


def wait_for(condition, *, seconds: float, every: float = 0.05, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(every)
    pytest.fail(f"Waited {seconds} s for {what}.")


def test_a_worker_killed_mid_render_leaves_the_version_to_the_other_published_once(
    cluster, server_a, server_b, database
):
    versions_before = sql(
        database,
        "SELECT count(*) FROM reporting_restitutionversion v "
        "JOIN reporting_restitution r ON r.id = v.restitution_id WHERE r.year = 2016",
    )[0][0]
    administrator = log_in(server_b, "admin")
    # The readiness check first: whatever it lists is acknowledged, as a publisher would.
    page = administrator.get(f"{server_b}/fr/restitutions/2016/publish/", timeout=60).text
    form = re.search(r'<form class="form" method="post">.*?</form>', page, re.S)[0]
    fields = [
        (name, value)
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form)
        if name != "csrfmiddlewaretoken"
    ]
    if 'name="acknowledge"' in form:
        fields.append(("acknowledge", "on"))
    published = administrator.post(
        f"{server_b}/fr/restitutions/2016/publish/",
        [*fields, ("csrfmiddlewaretoken", csrf(administrator))],
        allow_redirects=False,
        timeout=60,
    )
    assert published.status_code == 302, published.text[:2000]

    version, number, task_id = wait_for(
        lambda: sql(
            database,
            "SELECT v.id, v.number, v.task_id FROM reporting_restitutionversion v "
            "JOIN reporting_restitution r ON r.id = v.restitution_id "
            "WHERE r.year = 2016 AND v.status = 'rendering' ORDER BY v.number DESC LIMIT 1",
        ),
        seconds=60,
        what="a worker to start rendering",
    )[0]
    worker_ids = sql(
        database,
        "SELECT worker_ids FROM django_tasks_database_dbtaskresult WHERE id = %s",
        task_id,
    )[0][0]
    killed = worker_ids[-1]
    os.kill(cluster["workers"][killed], signal.SIGKILL)  # in the middle of the render
    still_rendering = sql(
        database, "SELECT status FROM reporting_restitutionversion WHERE id = %s", version
    )[0][0]

    done = wait_for(
        lambda: sql(
            database,
            "SELECT status FROM reporting_restitutionversion WHERE id = %s AND status = 'done'",
            version,
        ),
        seconds=180,
        every=0.5,
        what="the other worker to finish the rendering",
    )

    assert still_rendering == "rendering"
    assert done == [("done",)]
    task = sql(
        database,
        "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE id = %s",
        task_id,
    )[0]
    other = next(worker for worker in cluster["workers"] if worker != killed)
    assert task == ("SUCCESSFUL", [killed, other])
    versions = sql(
        database,
        "SELECT v.number, v.status FROM reporting_restitutionversion v "
        "JOIN reporting_restitution r ON r.id = v.restitution_id WHERE r.year = 2016 "
        "ORDER BY v.number",
    )
    assert len(versions) == versions_before + 1  # published once
    assert versions[-1] == (number, "done")
    files = dict(
        sql(
            database,
            "SELECT edition || '.' || format, sha256 FROM reporting_restitutionfile "
            "WHERE version_id = %s",
            version,
        )
    )
    assert sorted(files) == [
        "bilingual.html",
        "bilingual.pdf",
        "en.html",
        "en.pdf",
        "fr.html",
        "fr.pdf",
    ]

    official = log_in(server_a, "elu-savoie")
    pdf = official.get(f"{server_a}/fr/restitutions/2016/pdf/", timeout=60)

    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert hashlib.sha256(pdf.content).hexdigest() == files["fr.pdf"]
    assert f"-v{number}.pdf" in pdf.headers["Content-Disposition"]


def names_in_the_database(cluster) -> set[str]:
    """Every file a row names, whatever model holds it (core.backup.file_names: what a backup
    holds), asked of the app with the cluster's settings."""
    listing = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "python"),
            "manage.py",
            "shell",
            "-c",
            "import json; from core.backup import file_names; print(json.dumps(file_names()))",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": cluster["database_url"], "DJANGO_DEBUG": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(listing.stdout.strip().splitlines()[-1]))


def test_the_bucket_holds_the_named_files_and_serves_none_without_signing(cluster):
    s3 = cluster["s3"]
    bucket = boto3.client(
        "s3",
        endpoint_url=s3["endpoint"],
        region_name=s3["region"],
        aws_access_key_id=s3["key"],
        aws_secret_access_key=s3["secret"],
    )
    keys = {
        item["Key"]
        for page in bucket.get_paginator("list_objects_v2").paginate(Bucket=s3["bucket"])
        for item in page.get("Contents", [])
    }

    assert keys == names_in_the_database(cluster)  # nothing missing, nothing left behind
    assert any(key.startswith("exchanges/") for key in keys)
    assert any(key.endswith(".pdf") and key.startswith("restitutions/") for key in keys)
    media = Path(cluster["media_root"])
    assert not media.exists() or not any(media.rglob("*"))  # no file on the servers' disk
    for key in sorted(keys):
        anonymous = requests.get(f"{s3['endpoint']}/{s3['bucket']}/{key}", timeout=30)
        assert anonymous.status_code == 403, key
    signed = bucket.generate_presigned_url(
        "get_object", Params={"Bucket": s3["bucket"], "Key": sorted(keys)[0]}, ExpiresIn=60
    )
    assert requests.get(signed, timeout=30).status_code == 200
    # The anonymous check can tell: an object made public on purpose is served to anybody.
    bucket.put_object(Bucket=s3["bucket"], Key="public-probe.txt", Body=b"x", ACL="public-read")
    try:
        public = requests.get(f"{s3['endpoint']}/{s3['bucket']}/public-probe.txt", timeout=30)
        assert public.status_code == 200
    finally:
        bucket.delete_object(Bucket=s3["bucket"], Key="public-probe.txt")


class FromAddress(HTTPAdapter):
    """Requests from another loopback address, so that the login guards' counts of these
    stories do not touch the other stories' logins (from 127.0.0.1)."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def attempt(session: requests.Session, server: str, username: str, password: str):
    session.get(f"{server}/fr/accounts/login/", timeout=60)
    return session.post(
        f"{server}/fr/accounts/login/",
        {"username": username, "password": password, "csrfmiddlewaretoken": csrf(session)},
        allow_redirects=False,
        timeout=60,
    )


def from_address(address: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", FromAddress(address))
    return session


def test_failed_logins_on_both_servers_lock_the_username_on_both(server_a, server_b):
    session = from_address("127.0.0.21")
    for server in [server_a, server_a, server_b, server_b]:
        assert attempt(session, server, "elu-bignona", "wrong").status_code == 200

    # The fifth failure (AXES_FAILURE_LIMIT), wherever it is made, locks the username…
    assert attempt(session, server_a, "elu-bignona", "wrong").status_code == 429
    for server in [server_a, server_b]:  # …on both servers, even with the right password
        assert (
            attempt(from_address("127.0.0.21"), server, "elu-bignona", PASSWORD).status_code == 429
        )
    # From another address the username is not locked.
    assert attempt(from_address("127.0.0.23"), server_b, "elu-bignona", PASSWORD).status_code == 302


def test_the_brake_on_failed_logins_from_one_address_counts_across_servers(server_a, server_b):
    session = from_address("127.0.0.22")
    for number in range(10):  # FAILED_LOGINS_PER_ADDRESS, half on each server
        server = server_a if number % 2 else server_b
        refused = attempt(session, server, f"guess-{uuid.uuid4().hex[:8]}", "wrong")
        assert refused.status_code == 200

    assert attempt(session, server_a, "nobody", "wrong").status_code == 429
    assert attempt(session, server_b, "nobody", "wrong").status_code == 429
