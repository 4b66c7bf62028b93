"""The cluster the stories run against: `scripts/cluster.sh` (two app servers, two task
workers, PostgreSQL, Redis, moto's S3 server), started once on free ports and stopped at the
end. CLUSTER_STATE=path reuses a cluster already running with that state file instead."""

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import psycopg2
import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "regard-croise-demo"
# A worker silent for this long has its task taken by the other: short, so a killed worker's
# render is finished within seconds.
LEASE_SECONDS = 6
STARTUP_SECONDS = 900


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def cluster(tmp_path_factory):
    if os.environ.get("CLUSTER_STATE"):
        yield json.loads(Path(os.environ["CLUSTER_STATE"]).read_text())
        return
    state = tmp_path_factory.mktemp("cluster") / "state.json"
    environment = {
        **os.environ,
        "CLUSTER_PORTS": f"{free_port()} {free_port()}",
        "CLUSTER_S3_PORT": str(free_port()),
        "CLUSTER_DB": os.environ.get("CLUSTER_DB", "regard_croise_cluster_test"),
        "CLUSTER_STATE": str(state),
        "TASK_WORKER_LEASE_SECONDS": str(LEASE_SECONDS),
    }
    log = (state.parent / "cluster.log").open("w")
    script = subprocess.Popen(
        [str(ROOT / "scripts" / "cluster.sh")],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not state.exists():
            if script.poll() is not None or time.monotonic() > deadline:
                print((state.parent / "cluster.log").read_text()[-4000:])
                pytest.fail("The cluster did not start (scripts/cluster.sh).")
            time.sleep(1)
        yield json.loads(state.read_text())
    finally:
        script.send_signal(signal.SIGTERM)  # its trap stops every process it started
        try:
            script.wait(timeout=120)
        except subprocess.TimeoutExpired:
            os.killpg(script.pid, signal.SIGKILL)
            script.wait()
        log.close()


@pytest.fixture(scope="session")
def server_a(cluster) -> str:
    return cluster["servers"][0]


@pytest.fixture(scope="session")
def server_b(cluster) -> str:
    return cluster["servers"][1]


@pytest.fixture
def database(cluster):
    """The cluster's database, read in autocommit: each query sees what was committed."""
    connection = psycopg2.connect(cluster["database_url"])
    connection.autocommit = True
    yield connection
    connection.close()


def sql(database, query: str, *params):
    with database.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def log_in(server: str, username: str, password: str = PASSWORD) -> requests.Session:
    """A browser's session, logged in through the login form of `server`."""
    session = requests.Session()
    session.get(f"{server}/fr/accounts/login/", timeout=60).raise_for_status()
    response = session.post(
        f"{server}/fr/accounts/login/",
        {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        allow_redirects=False,
        timeout=60,
    )
    assert response.status_code == 302, f"{username} could not log in on {server}"
    return session
