"""How long one SQL statement may run, so that no query outlives the request that asked for
it: PostgreSQL's `statement_timeout`, set on every connection a process opens. The web server
(config/wsgi.py) allows `DATABASE_STATEMENT_TIMEOUT_MS` (10 s by default: gunicorn kills a
worker at 30 s, and PostgreSQL would otherwise run its query on for a minute more); the task
worker (`manage.py db_worker`) allows `WORKER_STATEMENT_TIMEOUT_MS` (5 minutes); other
commands (migrate, backup, restore) none. SQLite has no such limit."""

import re

from django.db import connections

_TIMEOUT_OPTION = re.compile(r"\s*-c\s*statement_timeout=\S+")


def with_statement_timeout(options: str, milliseconds: int) -> str:
    """libpq's `options` (`-c name=value …`) with `statement_timeout` set (0: none)."""
    kept = _TIMEOUT_OPTION.sub("", options or "").strip()
    return f"{kept} -c statement_timeout={milliseconds}".strip()


def limit_statements(milliseconds: int) -> None:
    """Every PostgreSQL connection this process opens from now on, and those it holds, stop
    a statement after `milliseconds` (0: never) with an error."""
    for alias in connections:
        settings_dict = connections.settings[alias]
        if "postgresql" not in settings_dict["ENGINE"]:
            continue
        options = settings_dict.setdefault("OPTIONS", {})
        options["options"] = with_statement_timeout(options.get("options", ""), milliseconds)
        opened = connections[alias]
        if opened.connection is not None:
            with opened.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, false)", [str(milliseconds)]
                )
