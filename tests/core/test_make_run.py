"""A developer reads `make help` and runs `make run PORT=8101`: the site, its e-mails' links and
DEBUG follow what they asked."""

import shutil
import subprocess

import pytest

from config.settings import BASE_DIR

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def make(*arguments: str) -> str:
    return subprocess.run(
        ["make", "--no-print-directory", *arguments],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_make_help_names_the_host_and_port_variables():
    lines = make("help").splitlines()

    assert any(line.split()[:1] == ["HOST"] for line in lines)
    assert any(line.split()[:1] == ["PORT"] for line in lines)


def test_make_run_on_another_port_links_its_emails_there_with_debug_on():
    # -n: the commands make would run, none run.
    commands = [line for line in make("-n", "run", "PORT=8101").splitlines() if "manage.py" in line]

    server = next(line for line in commands if "runserver" in line)
    worker = next(line for line in commands if "db_worker" in line)
    assert "runserver 127.0.0.1:8101" in server
    for line in (server, worker):
        assert "DJANGO_SITE_URL=http://127.0.0.1:8101" in line
        assert "DJANGO_DEBUG=1" in line
