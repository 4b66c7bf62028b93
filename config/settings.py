"""Settings for Regard croisé, read from environment variables (see README)."""

import datetime
import os
from pathlib import Path
from urllib.parse import unquote, urlparse

import dj_database_url
import django
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.deploy import deploy_version

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number ≥ {minimum}, not {value!r}.")
    return number


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """DATABASE_URL read by dj-database-url, its query options (`?sslmode=require`) kept.
    A relative SQLite path (sqlite:///db.sqlite3) is inside the project folder."""
    scheme = urlparse(url).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL scheme {scheme!r} is not supported: use sqlite:/// or postgres://."
        )
    database = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["NAME"] = str(BASE_DIR / (database["NAME"] or "db.sqlite3"))
        database["CONN_MAX_AGE"] = 0  # a file: nothing to keep open between requests
    return database


def cache_from_url(url: str, *, key_prefix: str) -> dict:
    """CACHE_URL: file:///folder (shared by the processes of one machine: the web server's
    workers and the task worker; the default), redis://host:port/db (shared by every process
    and server), locmem:// (this process only: one-process tools and tests) or dummy://."""
    parsed = urlparse(url)
    backends = {
        "file": ("django.core.cache.backends.filebased.FileBasedCache", unquote(parsed.path)),
        "redis": ("django.core.cache.backends.redis.RedisCache", url),
        "rediss": ("django.core.cache.backends.redis.RedisCache", url),
        "locmem": ("django.core.cache.backends.locmem.LocMemCache", ""),
        "dummy": ("django.core.cache.backends.dummy.DummyCache", ""),
    }
    scheme = parsed.scheme
    if scheme not in backends:
        raise ImproperlyConfigured(
            f"CACHE_URL scheme {scheme!r} is not supported: use file://, redis://, locmem:// "
            "or dummy://."
        )
    backend, location = backends[scheme]
    return {"BACKEND": backend, "LOCATION": location, "KEY_PREFIX": key_prefix}


def email_from_env() -> dict:
    """How the site sends email. EMAIL_URL (`smtp://user:password@host:587` with STARTTLS,
    `smtps://…:465` with implicit TLS, `console://`), or DJANGO_EMAIL_HOST with
    DJANGO_EMAIL_PORT, DJANGO_EMAIL_USER, DJANGO_EMAIL_PASSWORD and DJANGO_EMAIL_USE_TLS;
    neither: printed on the console (of the task worker, which sends them)."""
    url = os.environ.get("EMAIL_URL", "")
    if url:
        parts = urlparse(url)
        if parts.scheme == "console":
            return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
        if parts.scheme not in {"smtp", "smtps"}:
            raise ImproperlyConfigured(
                f"EMAIL_URL scheme {parts.scheme!r} is not supported: use smtp://, smtps:// "
                "or console://."
            )
        implicit = parts.scheme == "smtps"
        try:
            port = parts.port or (465 if implicit else 587)
        except ValueError:
            raise ImproperlyConfigured(f"EMAIL_URL has an invalid port: {url!r}.") from None
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname or "",
            "EMAIL_PORT": port,
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": implicit,
            "EMAIL_USE_TLS": not implicit,
        }
    host = os.environ.get("DJANGO_EMAIL_HOST", "")
    if not host:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": host,
        "EMAIL_PORT": env_int("DJANGO_EMAIL_PORT", 587, minimum=1),
        "EMAIL_HOST_USER": os.environ.get("DJANGO_EMAIL_USER", ""),
        "EMAIL_HOST_PASSWORD": os.environ.get("DJANGO_EMAIL_PASSWORD", ""),
        "EMAIL_USE_TLS": env_bool("DJANGO_EMAIL_USE_TLS", True),
    }


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

# The demo accounts have a public password: a production server refuses to load them.
ALLOW_DEMO_DATA = env_bool("DJANGO_ALLOW_DEMO_DATA", DEBUG)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
# Behind a TLS-terminating reverse proxy in production; DJANGO_HTTPS=0 only to try the
# production server over plain HTTP on this machine (benchmark, load test).
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)

INSTALLED_APPS = [
    "modeltranslation",  # must precede django.contrib.admin
    "django.contrib.admin",
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
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # Who saved an audited object from a page that did not go through a service (the admin's
    # funding lines, questionings, work tracks): simple-history reads the request's user.
    "simple_history.middleware.HistoryRequestMiddleware",
]
# The largest request a page needs: an attachment (exchanges.validators.MAX_ATTACHMENT_SIZE,
# 10 MB) with its caption and the form's other fields. Larger bodies get a 413 before anything
# reads them (core.middleware); DATA_UPLOAD_MAX_MEMORY_SIZE still limits the non-file fields.
MAX_REQUEST_BYTES = 11 * 1024 * 1024

if not DEBUG:  # production serves its own static files, compressed and cached for a year
    # Right after SecurityMiddleware (whitenoise's rule): static files keep its headers.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, reading each request's user with their profile and territory in one query.
    "core.backends.ProfileModelBackend",
]
# Repeated failed logins lock the username on that address for a while.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# How many reverse proxies (nginx, a load balancer…) stand between the visitors and the site,
# each adding the address it saw to X-Forwarded-For: the visitor's address is the N-th from the
# right there (core.login.client_ip). 0, the default, reads the socket's address and ignores
# the header, which anybody can write. Behind the proxy documented in the README: 1.
TRUSTED_PROXIES = env_int("DJANGO_TRUSTED_PROXIES", 0)
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
    "default": database_from_url(os.environ.get("DATABASE_URL", "sqlite:///db.sqlite3")),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# What is worth keeping between requests (core/caching.py), under keys that hold the release's
# version and the database's name: a deploy never reads what an older release computed, nor a
# site what another database's site kept. Never one process's memory by default: what a save
# forgets must be forgotten by every worker (web and task) at once.
CACHES = {
    "default": cache_from_url(
        os.environ.get("CACHE_URL", f"file://{BASE_DIR / 'var' / 'cache'}"),
        key_prefix=deploy_version(BASE_DIR, DATABASES["default"]),
    )
}

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
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

# Uploads, thumbnails and published restitutions: whatever is saved through a FileField or
# default_storage. On disk under DJANGO_MEDIA_ROOT by default (`make run`, one machine); in a
# bucket of an S3-compatible store (AWS S3, MinIO, Scaleway, OVH, Garage…) when
# DJANGO_S3_BUCKET is set, so that every app server and task worker reads the same files.
# Credentials: the standard AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or an instance role).
# The objects stay private: no ACL is sent (a bucket is private by default), downloads pass
# through the app after the permission check (docs/architecture.md, "Files and storage"), and
# any URL Django makes of an object (the admin's link) is signed and lasts five minutes.
S3_BUCKET = os.environ.get("DJANGO_S3_BUCKET", "")
if S3_BUCKET:
    S3_ENDPOINT_URL = os.environ.get("DJANGO_S3_ENDPOINT_URL", "")
    if S3_ENDPOINT_URL and urlparse(S3_ENDPOINT_URL).scheme not in {"http", "https"}:
        raise ImproperlyConfigured(
            f"DJANGO_S3_ENDPOINT_URL must be an http:// or https:// URL, not {S3_ENDPOINT_URL!r}."
        )
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": S3_ENDPOINT_URL or None,  # None: AWS
            "region_name": os.environ.get("DJANGO_S3_REGION") or None,
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
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "var" / "backups"))
BACKUP_KEEP = env_int("BACKUP_KEEP", 14, minimum=1)
# The database dumped with the engine's own tool: pg_dump/pg_restore (in one transaction,
# objects owned by the restoring role), SQLite's online backup API both ways.
DBBACKUP_CONNECTOR_MAPPING = {"django.db.backends.sqlite3": "core.backup.SqliteOnlineConnector"}
DBBACKUP_CONNECTORS = {"default": {"PG_OPTIONS": "--no-owner --no-privileges"}}
DBBACKUP_SEND_EMAIL = False  # `backup` fails loudly itself (cron mails its output)

# Restitutions are rendered in the background: run `python manage.py db_worker` beside the site.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Each worker says it is alive every quarter of this; a task left running by a worker silent
# for this long (killed, its machine gone) is taken again by another worker (core/workers.py).
TASK_WORKER_LEASE_SECONDS = env_int("TASK_WORKER_LEASE_SECONDS", 60, minimum=4)
# Background work yields the processor to the pages: the worker lowers its own CPU priority by
# this much (nice(2); 0 keeps it), so a render that takes a core for a minute does not slow the
# requests of the members who are waiting for a page.
TASK_WORKER_NICENESS = env_int("TASK_WORKER_NICENESS", 10, minimum=0)
# Draft PDFs are rendered by that worker too: at most this many at once on the whole site (each
# takes a core for tens of seconds on a large year), and one per user.
RESTITUTION_RENDERS_AT_ONCE = env_int("RESTITUTION_RENDERS_AT_ONCE", 2, minimum=1)

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
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Regard croisé <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's public address, for the links in emails the worker sends (it has no request).
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
