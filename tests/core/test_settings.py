"""An operator configures the platform through environment variables."""

import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.backends.postgresql.base import DatabaseWrapper
from django.db.utils import ConnectionHandler

from config.settings import BASE_DIR, cache_from_url, database_from_url, env_bool


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


def test_the_cache_is_local_by_default_and_redis_when_asked():
    local = cache_from_url("locmem://", key_prefix="r1")
    redis = cache_from_url("redis://127.0.0.1:6379/1", key_prefix="r1")

    assert local["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert (redis["LOCATION"], redis["KEY_PREFIX"]) == ("redis://127.0.0.1:6379/1", "r1")
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_from_url("memcached://127.0.0.1", key_prefix="r1")


def test_an_unknown_database_scheme_is_refused_clearly():
    with pytest.raises(ImproperlyConfigured, match="not supported"):
        database_from_url("mysql://root@localhost/x")


def test_a_boolean_that_is_not_one_is_refused(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG"):
        env_bool("DJANGO_DEBUG", True)


def test_production_without_a_secret_key_stops_with_a_clear_message(monkeypatch):
    env = {"DJANGO_DEBUG": "0", "DJANGO_SETTINGS_MODULE": "config.settings", "PATH": "/usr/bin"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


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
