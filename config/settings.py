"""Settings for Regard croisé, read from environment variables (see README)."""

import datetime
from pathlib import Path
from urllib.parse import urlparse

import django
import django_stubs_ext
import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.deploy import database_identity, deploy_version

# Django's generic classes subscriptable at run time (`admin.ModelAdmin[OutgoingEmail]`, as the
# type checker reads them): django-stubs' documented set-up (django-tasks does it too).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


class Env(environ.Env):
    """django-environ's reader, a little stricter: an empty variable counts as unset, and a value
    its type cannot read stops the start naming the variable (django-environ would read
    DJANGO_HTTPS=flase as off, and TASK_WORKER_LEASE_SECONDS=soon as a bare ValueError)."""

    BOOLEAN_FALSE_STRINGS = ("false", "off", "no", "n", "0")

    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        raw = self.ENVIRON.get(var)
        if raw is not None and not raw.strip() and default is not self.NOTSET:
            return default
        known = {*self.BOOLEAN_TRUE_STRINGS, *self.BOOLEAN_FALSE_STRINGS}
        if cast is bool and raw is not None and raw.strip().lower() not in known:
            raise ImproperlyConfigured(f"{var} must be a boolean (1/0, true/false), not {raw!r}.")
        try:
            return super().get_value(var, cast=cast, default=default, parse_default=parse_default)
        except ValueError:
            raise ImproperlyConfigured(f"{var} cannot be read: {raw!r}.") from None

    def whole_number(self, var: str, default: int, *, minimum: int = 0) -> int:
        number = self.int(var, default=default)
        if number < minimum:
            raise ImproperlyConfigured(f"{var} must be a whole number ≥ {minimum}, not {number}.")
        return number


env = Env()


def database_from_url(url: str) -> dict:
    """DATABASE_URL read by django-environ, its query options (`?sslmode=require`) passed to the
    driver. A relative SQLite path (sqlite:///db.sqlite3) is inside the project folder."""
    scheme = urlparse(url).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL scheme {scheme!r} is not supported: use sqlite:/// or postgres://."
        )
    database = {"CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True, **Env.db_url_config(url)}
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["NAME"] = str(BASE_DIR / (database["NAME"] or "db.sqlite3"))
        database["CONN_MAX_AGE"] = 0  # a file: nothing to keep open between requests
    return database


# This project's names for django-environ's cache schemes (file:// rather than filecache://).
CACHE_SCHEMES = {"file": "filecache", "locmem": "locmemcache", "dummy": "dummycache"}


def cache_from_url(url: str, *, key_prefix: str) -> dict:
    """CACHE_URL read by django-environ: file:///folder (shared by the processes of one machine:
    the web server's workers and the task worker; the default), redis://host:port/db (shared by
    every process and server), locmem:// (this process only: one-process tools and tests) or
    dummy://."""
    scheme, _sep, rest = url.partition("://")
    if scheme not in {*CACHE_SCHEMES, "redis", "rediss"}:
        raise ImproperlyConfigured(
            f"CACHE_URL scheme {scheme!r} is not supported: use file://, redis://, locmem:// "
            "or dummy://."
        )
    cache = Env.cache_url_config(f"{CACHE_SCHEMES.get(scheme, scheme)}://{rest}")
    return {**cache, "KEY_PREFIX": key_prefix}


#: Counters the brakes' folder holds before the file cache culls it (one per client or mailbox
#: that failed lately): listing them, which the file cache does at every write, stays cheap.
BRAKE_COUNTERS = 10_000


def brake_cache(default: dict, database: str) -> dict:
    """Where the brakes count (core.login.count): the default cache's store, in a place of its
    own. The file cache keeps MAX_ENTRIES files (300 by default) and past them deletes a third
    at random at its next write: in the site's folder, the values pages keep (a few for every
    save) made it cull every few seconds under load, and the brakes forgot their counts (the
    load test's guessers got ten more tries every twenty seconds). Alone in their folder, only
    the counters count. Keyed by the database, not the release: a deploy does not reset them.
    With Redis, its eviction policy must not evict them (README, Several servers)."""
    brakes = {**default, "KEY_PREFIX": f"brakes.{database}"}
    if default["BACKEND"].endswith("FileBasedCache"):
        brakes["LOCATION"] = f"{default['LOCATION'].rstrip('/')}-brakes"
        brakes["OPTIONS"] = {**default.get("OPTIONS", {}), "MAX_ENTRIES": BRAKE_COUNTERS}
    elif default["BACKEND"].endswith("LocMemCache"):
        brakes["LOCATION"] = "brakes"  # another memory than the default cache's
    return brakes


# EMAIL_URL's schemes are django-environ's (smtp:// plain, smtp+tls:// STARTTLS, smtp+ssl://
# TLS from the start), with smtps:// kept as this project always read it, TLS from the start
# (django-environ reads it as STARTTLS), and console:// for its consolemail://.
EMAIL_SCHEMES = {"smtps": "smtp+ssl", "console": "consolemail"}
EMAIL_PORTS = {"smtp": 25, "smtp+tls": 587, "smtp+ssl": 465}


def email_from_env() -> dict:
    """How the site sends email. EMAIL_URL (`smtp://host:25` plain, `smtp+tls://user:password@
    host:587` STARTTLS, `smtp+ssl://…:465` TLS from the start, `console://`), or
    DJANGO_EMAIL_HOST with DJANGO_EMAIL_PORT, DJANGO_EMAIL_USER, DJANGO_EMAIL_PASSWORD and
    DJANGO_EMAIL_USE_TLS; neither: printed on the console (of the task worker, which sends
    them)."""
    url = env.str("EMAIL_URL", default="")
    if url:
        scheme, _sep, rest = url.partition("://")
        scheme = EMAIL_SCHEMES.get(scheme, scheme)
        if scheme not in {*EMAIL_PORTS, "consolemail"}:
            raise ImproperlyConfigured(
                f"EMAIL_URL scheme {scheme!r} is not supported: use smtp://, smtp+tls://, "
                "smtp+ssl:// or console://."
            )
        try:
            email = Env.email_url_config(f"{scheme}://{rest}")
        except ValueError:
            raise ImproperlyConfigured(f"EMAIL_URL has an invalid port: {url!r}.") from None
        if scheme == "consolemail":
            return {"EMAIL_BACKEND": email["EMAIL_BACKEND"]}
        return {
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            **{name: value for name, value in email.items() if name != "EMAIL_FILE_PATH"},
            "EMAIL_HOST_USER": email["EMAIL_HOST_USER"] or "",
            "EMAIL_HOST_PASSWORD": email["EMAIL_HOST_PASSWORD"] or "",
            "EMAIL_PORT": email["EMAIL_PORT"] or EMAIL_PORTS[scheme],
        }
    host = env.str("DJANGO_EMAIL_HOST", default="")
    if not host:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": host,
        "EMAIL_PORT": env.whole_number("DJANGO_EMAIL_PORT", 587, minimum=1),
        "EMAIL_HOST_USER": env.str("DJANGO_EMAIL_USER", default=""),
        "EMAIL_HOST_PASSWORD": env.str("DJANGO_EMAIL_PASSWORD", default=""),
        "EMAIL_USE_TLS": env.bool("DJANGO_EMAIL_USE_TLS", default=True),
    }


# Off unless asked: a server started without DJANGO_DEBUG is a production one (`make run` and
# the test suite set DJANGO_DEBUG=1).
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (set DJANGO_DEBUG=1 on a "
            "development machine). Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    # Development only: without DJANGO_DEBUG=1 the start stops above unless a key is given.
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"  # noqa: S105

# The demo accounts have a public password: a production server refuses to load them.
ALLOW_DEMO_DATA = env.bool("DJANGO_ALLOW_DEMO_DATA", default=DEBUG)
ALLOWED_HOSTS = [
    host.strip()
    for host in env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
    if host.strip()
]
# Behind a TLS-terminating reverse proxy in production; DJANGO_HTTPS=0 only to try the
# production server over plain HTTP on this machine (benchmark, load test).
HTTPS = env.bool("DJANGO_HTTPS", default=not DEBUG)

INSTALLED_APPS = [
    "modeltranslation",  # must precede django.contrib.admin
    "config.apps.AdminConfig",  # Django's admin, its login braked (core/admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "simple_history",  # one history for every audited model (core/history.py)
    "dbbackup",  # backup and restore with the engine's own tools (core/backup.py)
    "config.apps.LoginSecurityConfig",  # django-axes, with a French name (config/apps.py)
    # Background tasks: Django 6 has django.tasks built in, 5.2 takes the django-tasks backport.
    *(["django_tasks"] if django.VERSION < (6, 0) else []),
    # Before django_tasks_db: its `db_worker` command is core's, with a heartbeat (core/workers.py).
    "core",
    "config.apps.BackgroundTasksConfig",  # django_tasks_db, with a French name
    "partners",
    "observatory",
    "exchanges",
    "reporting",
]

MIDDLEWARE = [
    # First: a body larger than MAX_REQUEST_BYTES is refused before anything reads it.
    "core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: private on what a logged-in member is shown.
    "core.middleware.PrivateCacheMiddleware",
    # X-Account: whose page it is, so the service worker keeps it for that account only.
    "core.webapp.AccountHeaderMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # Who saved an audited object from a page that did not go through a service (the admin's
    # funding lines, questionings, work tracks): simple-history reads the request's user.
    "simple_history.middleware.HistoryRequestMiddleware",
]
# The most an attachment weighs (10 MB: a phone photo, a scanned report). One figure for the
# form's help, the validator, the "Too large" page and the outbox's check before sending.
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# The largest request a page needs: an attachment with its caption and the form's other fields.
# Larger bodies get a 413 before anything reads them (core.middleware);
# DATA_UPLOAD_MAX_MEMORY_SIZE still limits the non-file fields.
MAX_REQUEST_BYTES = ATTACHMENT_MAX_BYTES + 1024 * 1024
# Documents sent in pieces (exchanges/uploads.py): each piece at most this, the pieces of an
# unfinished sending kept this many hours, and at most this many unfinished sendings a member.
UPLOAD_CHUNK_MAX_BYTES = 1024 * 1024
UPLOAD_SESSION_HOURS = 72
UPLOAD_SESSIONS_PER_USER = 5

if not DEBUG:  # production serves its own static files, compressed and cached for a year
    # Right after SecurityMiddleware (whitenoise's rule): static files keep its headers.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, reading each request's user with their profile and territory in one query.
    "partners.backends.ProfileModelBackend",
]
# Repeated failed logins lock the username on that address for a while.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# How many reverse proxies (nginx, a load balancer…) stand between the visitors and the site,
# each adding the address it saw to X-Forwarded-For: the visitor's address is the N-th from the
# right there (core.login.client_ip). 0, the default, reads the socket's address and ignores
# the header, which anybody can write. Behind the proxy documented in the README: 1.
TRUSTED_PROXIES = env.whole_number("DJANGO_TRUSTED_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "core.login.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "exchanges.context_processors.to_write",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(env.str("DATABASE_URL", default="sqlite:///db.sqlite3")),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# What is worth keeping between requests (core/caching.py), under keys that hold the release's
# version and the database's name: a deploy never reads what an older release computed, nor a
# site what another database's site kept. Never one process's memory by default: what a save
# forgets must be forgotten by every worker (web and task) at once.
CACHES = {
    "default": cache_from_url(
        env.str("CACHE_URL", default=f"file://{BASE_DIR / 'var' / 'cache'}"),
        key_prefix=f"{deploy_version(BASE_DIR)}.{database_identity(DATABASES['default'])}",
    )
}
CACHES["brakes"] = brake_cache(CACHES["default"], database_identity(DATABASES["default"]))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# French first: it is the language of the source document and of both partners.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
# British English dates ("30 November 2026"), in pages, e-mails and the CSV alike.
FORMAT_MODULE_PATH = ["config.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Paris"

MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_LANGUAGES = ("fr", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fr",)

STATIC_URL = "static/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production: hashed names so browsers cache CSS and fonts for a year, gzip and brotli.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))

# Uploads, thumbnails and published restitutions: whatever is saved through a FileField or
# default_storage. On disk under DJANGO_MEDIA_ROOT by default (`make run`, one machine); in a
# bucket of an S3-compatible store (AWS S3, MinIO, Scaleway, OVH, Garage…) when
# DJANGO_S3_BUCKET is set, so that every app server and task worker reads the same files.
# Credentials: the standard AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or an instance role).
# The objects stay private: no ACL is sent (a bucket is private by default), downloads pass
# through the app after the permission check (docs/architecture.md, "Files and storage"), and
# any URL Django makes of an object (the admin's link) is signed and lasts five minutes.
S3_BUCKET = env.str("DJANGO_S3_BUCKET", default="")
if S3_BUCKET:
    S3_ENDPOINT_URL = env.str("DJANGO_S3_ENDPOINT_URL", default="")
    if S3_ENDPOINT_URL and urlparse(S3_ENDPOINT_URL).scheme not in {"http", "https"}:
        raise ImproperlyConfigured(
            f"DJANGO_S3_ENDPOINT_URL must be an http:// or https:// URL, not {S3_ENDPOINT_URL!r}."
        )
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": S3_ENDPOINT_URL or None,  # None: AWS
            "region_name": env.str("DJANGO_S3_REGION", default="") or None,
            # Other stores than AWS serve a bucket under the endpoint's path.
            "addressing_style": "path" if S3_ENDPOINT_URL else None,
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            # As on disk: a file saved under a taken name gets a suffix, never replaces it.
            "file_overwrite": False,
            # A download larger than this is spooled to a temporary file, not kept in memory.
            "max_memory_size": 5 * 1024 * 1024,
        },
    }

# Backups (core/backup.py, django-dbbackup): `manage.py backup` without --output writes into
# BACKUP_DIR and keeps the BACKUP_KEEP newest there (a daily cron line: README, "Running it").
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(BASE_DIR / "var" / "backups")))
BACKUP_KEEP = env.whole_number("BACKUP_KEEP", 14, minimum=1)
# The database dumped with the engine's own tool: pg_dump/pg_restore (in one transaction,
# objects owned by the restoring role), SQLite's online backup API both ways.
DBBACKUP_CONNECTOR_MAPPING = {"django.db.backends.sqlite3": "core.backup.SqliteOnlineConnector"}
DBBACKUP_CONNECTORS = {"default": {"PG_OPTIONS": "--no-owner --no-privileges"}}
DBBACKUP_SEND_EMAIL = False  # `backup` fails loudly itself (cron mails its output)

# Restitutions are rendered in the background: run `python manage.py db_worker` beside the site.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Each worker says it is alive every quarter of this; a task left running by a worker silent
# for this long (killed, its machine gone) is taken again by another worker (core/workers.py).
TASK_WORKER_LEASE_SECONDS = env.whole_number("TASK_WORKER_LEASE_SECONDS", 60, minimum=4)
# Background work yields the processor to the pages: the worker lowers its own CPU priority by
# this much (nice(2); 0 keeps it), so a render that takes a core for a minute does not slow the
# requests of the members who are waiting for a page.
TASK_WORKER_NICENESS = env.whole_number("TASK_WORKER_NICENESS", 10, minimum=0)
# No SQL statement outlives its request (PostgreSQL's statement_timeout, core/database.py): the
# web server stops one after this many milliseconds, the task worker after the second figure
# (a restitution's queries, a backup). 0: no limit. SQLite has none.
DATABASE_STATEMENT_TIMEOUT_MS = env.whole_number("DATABASE_STATEMENT_TIMEOUT_MS", 10_000, minimum=0)
WORKER_STATEMENT_TIMEOUT_MS = env.whole_number("WORKER_STATEMENT_TIMEOUT_MS", 300_000, minimum=0)
# Draft PDFs are rendered by that worker too: at most this many at once on the whole site (each
# takes a core for tens of seconds on a large year), and one per user.
RESTITUTION_RENDERS_AT_ONCE = env.whole_number("RESTITUTION_RENDERS_AT_ONCE", 2, minimum=1)

# Email: the task worker sends it (core/tasks.py), never a web request.
_EMAIL = email_from_env()
EMAIL_BACKEND = _EMAIL["EMAIL_BACKEND"]
EMAIL_HOST = _EMAIL.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _EMAIL.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _EMAIL.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _EMAIL.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _EMAIL.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _EMAIL.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Regard croisé <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's public address, for the links in emails the worker sends (it has no request).
# `make run` sets it to the address it serves (http://$(HOST):$(PORT)).
SITE_URL = env.str("DJANGO_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
if urlparse(SITE_URL).scheme not in {"http", "https"} or not urlparse(SITE_URL).netloc:
    raise ImproperlyConfigured(
        f"DJANGO_SITE_URL must be the site's http:// or https:// address, not {SITE_URL!r}."
    )

# Security: secure cookies, HSTS and the HTTPS redirect whenever the site is served over TLS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content Security Policy: only our own scripts, styles, fonts and images; no inline code.
# Django 6 has it built in; on 5.2 the django-csp package does the same.
CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
if django.VERSION >= (6, 0):
    MIDDLEWARE.append("django.middleware.csp.ContentSecurityPolicyMiddleware")
    SECURE_CSP = CSP_DIRECTIVES
else:
    MIDDLEWARE.append("csp.middleware.CSPMiddleware")
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": CSP_DIRECTIVES}
# A translated page instead of Django's empty 405 (a GET on a form's POST-only address); after
# every other middleware, so that they all, the policy above too, apply to the page it makes.
MIDDLEWARE.append("core.middleware.MethodNotAllowedPageMiddleware")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A 403 is one line (path, user id), not a traceback (core/log.py).
    "filters": {"permission_denied": {"()": "core.log.PermissionDeniedOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["permission_denied"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
