"""An operator configures the platform through environment variables."""

import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.backends.postgresql.base import DatabaseWrapper
from django.db.utils import ConnectionHandler

from config.settings import BASE_DIR, Env, cache_from_url, database_from_url


def test_the_default_database_is_a_sqlite_file_in_the_project_folder():
    database = database_from_url("sqlite:///db.sqlite3")
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(BASE_DIR / "db.sqlite3")
    assert database_from_url("sqlite:////tmp/elsewhere.db")["NAME"] == "/tmp/elsewhere.db"


def test_a_postgres_url_gives_every_connection_detail():
    database = database_from_url("postgres://rc:s%40cret@db.example:6543/regard")
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["USER"], database["PASSWORD"]) == ("rc", "s@cret")
    assert (database["HOST"], database["PORT"], database["NAME"]) == (
        "db.example",
        6543,
        "regard",
    )
    assert (database["CONN_MAX_AGE"], database["CONN_HEALTH_CHECKS"]) == (60, True)


def test_the_query_string_reaches_the_postgresql_connection():
    # ?sslmode=require must make an encrypted connection mandatory, not be dropped.
    database = database_from_url("postgres://rc@db.example/regard?sslmode=require")
    settings = ConnectionHandler({"default": database}).settings["default"]  # Django's defaults

    parameters = DatabaseWrapper(settings).get_connection_params()

    assert parameters["sslmode"] == "require"


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("file:///var/cache/regard", "filebased.FileBasedCache", "/var/cache/regard"),
        ("redis://127.0.0.1:6379/1", "redis.RedisCache", "redis://127.0.0.1:6379/1"),
        ("locmem://", "locmem.LocMemCache", ""),
        ("dummy://", "dummy.DummyCache", ""),
    ],
)
def test_each_cache_url_gives_its_backend(url, backend, location):
    cache = cache_from_url(url, key_prefix="r1")

    assert cache["BACKEND"] == f"django.core.cache.backends.{backend}"
    assert (cache["LOCATION"], cache["KEY_PREFIX"]) == (location, "r1")


def test_an_unknown_cache_scheme_is_refused_clearly():
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_from_url("memcached://127.0.0.1", key_prefix="r1")


def test_an_unknown_database_scheme_is_refused_clearly():
    with pytest.raises(ImproperlyConfigured, match="not supported"):
        database_from_url("mysql://root@localhost/x")


@pytest.mark.parametrize("value", ["perhaps", "flase"])
def test_a_boolean_that_is_not_one_is_refused(monkeypatch, value):
    monkeypatch.setenv("DJANGO_HTTPS", value)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_HTTPS must be a boolean"):
        Env().bool("DJANGO_HTTPS", default=True)


@pytest.mark.parametrize(
    ("value", "expected"), [("1", True), ("on", True), ("0", False), ("", True)]
)
def test_a_boolean_reads_its_usual_spellings_and_empty_is_unset(monkeypatch, value, expected):
    monkeypatch.setenv("DJANGO_HTTPS", value)
    assert Env().bool("DJANGO_HTTPS", default=True) is expected


def test_a_number_that_is_not_one_is_refused_naming_the_variable(monkeypatch):
    monkeypatch.setenv("TASK_WORKER_LEASE_SECONDS", "soon")
    with pytest.raises(ImproperlyConfigured, match="TASK_WORKER_LEASE_SECONDS"):
        Env().whole_number("TASK_WORKER_LEASE_SECONDS", 60, minimum=4)
    monkeypatch.setenv("TASK_WORKER_LEASE_SECONDS", "2")
    with pytest.raises(ImproperlyConfigured, match="≥ 4"):
        Env().whole_number("TASK_WORKER_LEASE_SECONDS", 60, minimum=4)


def settings_in_a_new_process(env: dict, *names: str) -> subprocess.CompletedProcess:
    """Start Django with only `env` (and PATH) and print the settings `names`."""
    code = "import django; django.setup(); from django.conf import settings; " + "; ".join(
        f"print(repr(settings.{name}))" for name in names
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "config.settings", "PATH": "/usr/bin", **env},
        capture_output=True,
        text=True,
    )


def test_debug_is_off_unless_asked():
    result = settings_in_a_new_process({"DJANGO_SECRET_KEY": "k" * 50}, "DEBUG", "HTTPS")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]

    development = settings_in_a_new_process({"DJANGO_DEBUG": "1"}, "DEBUG", "HTTPS")
    assert development.returncode == 0, development.stderr
    assert development.stdout.split() == ["True", "False"]


@pytest.mark.parametrize("env", [{}, {"DJANGO_DEBUG": "0"}, {"DJANGO_SECRET_KEY": ""}])
def test_production_without_a_secret_key_stops_with_a_clear_message(env):
    result = settings_in_a_new_process(env, "SECRET_KEY")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


def test_the_site_address_is_read_and_checked():
    served = settings_in_a_new_process(
        {"DJANGO_DEBUG": "1", "DJANGO_SITE_URL": "http://127.0.0.1:8101/"}, "SITE_URL"
    )
    wrong = settings_in_a_new_process(
        {"DJANGO_DEBUG": "1", "DJANGO_SITE_URL": "127.0.0.1:8101"}, "SITE_URL"
    )

    assert served.stdout.strip() == "'http://127.0.0.1:8101'"
    assert wrong.returncode != 0
    assert "DJANGO_SITE_URL must be" in wrong.stderr


def test_production_settings_pass_djangos_deployment_checklist():
    env = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "a-long-random-production-key-" + "x9Q!" * 12,
        "DJANGO_ALLOWED_HOSTS": "regard-croise.example.org",
        "PATH": "/usr/bin",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def _manage(env: dict, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=BASE_DIR,
        env={"PATH": "/usr/bin", **env},
        capture_output=True,
        text=True,
    )


def test_a_new_developer_runs_manage_py_with_nothing_set(tmp_path):
    checked = _manage({"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}, "check")

    assert checked.returncode == 0, checked.stderr
    assert "no issues" in checked.stdout


def test_manage_py_with_debug_off_and_no_secret_key_says_so_first():
    refused = _manage({"DJANGO_DEBUG": "0"}, "makemigrations", "--check", "--dry-run")

    assert refused.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in refused.stderr
    assert "AppRegistryNotReady" not in refused.stderr


def test_manage_py_with_a_secret_key_keeps_debug_off():
    key = "a-long-random-production-key-" + "x9Q!" * 12
    shell = _manage(
        {"DJANGO_SECRET_KEY": key, "DJANGO_ALLOWED_HOSTS": "regard-croise.example.org"},
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
    )

    assert shell.returncode == 0, shell.stderr
    assert shell.stdout.strip().splitlines()[-1] == "False"
