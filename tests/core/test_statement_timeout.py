"""No query outlives its request: on PostgreSQL, the web server's connections stop a statement
after DATABASE_STATEMENT_TIMEOUT_MS, the task worker's after WORKER_STATEMENT_TIMEOUT_MS
(longer). SQLite has no such limit: these tests run on PostgreSQL only."""

import copy
import importlib

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection, connections

from core.database import limit_statements, with_statement_timeout

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no statement timeout"
)


@pytest.fixture
def restored_options():
    """limit_statements changes the process's connection settings: put them back after."""
    kept = {
        alias: copy.deepcopy(connections.settings[alias].get("OPTIONS", {}))
        for alias in connections
    }
    yield
    for alias, options in kept.items():
        connections.settings[alias]["OPTIONS"] = options


def new_connection():
    """A connection opened as a request (or a task) opens one, beside the test's."""
    return connections.create_connection("default")


def shown_timeout() -> str:
    fresh = new_connection()
    try:
        with fresh.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            return cursor.fetchone()[0]
    finally:
        fresh.close()


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ("", "-c statement_timeout=10000"),
        ("-c search_path=public", "-c search_path=public -c statement_timeout=10000"),
        ("-c statement_timeout=5 -c work_mem=4MB", "-c work_mem=4MB -c statement_timeout=10000"),
    ],
)
def test_the_timeout_joins_the_other_connection_options(options, expected):
    assert with_statement_timeout(options, 10_000) == expected


@postgresql_only
@pytest.mark.django_db
def test_a_web_query_longer_than_the_limit_is_stopped(restored_options):
    limit_statements(200)
    fresh = new_connection()
    try:
        with pytest.raises(OperationalError, match="statement timeout"), fresh.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(2)")
    finally:
        fresh.close()


@postgresql_only
@pytest.mark.django_db
def test_the_web_server_limits_its_queries_to_the_setting(restored_options, settings):
    settings.DATABASE_STATEMENT_TIMEOUT_MS = 10_000
    import config.wsgi

    importlib.reload(config.wsgi)  # what gunicorn and runserver load

    assert shown_timeout() == "10s"


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_task_worker_allows_its_longer_limit(restored_options, settings):
    settings.WORKER_STATEMENT_TIMEOUT_MS = 300_000
    settings.TASK_WORKER_NICENESS = 0

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert shown_timeout() == "5min"
