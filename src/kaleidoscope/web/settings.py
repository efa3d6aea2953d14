"""Django settings. Everything that varies comes from the environment:

- ``KALEIDOSCOPE_DATA_DIR``: where the SQLite database and the secret key live
  (default: the user's data directory from platformdirs).
- ``DATABASE_URL``: ``postgres://...`` to use PostgreSQL instead of SQLite.
- ``KALEIDOSCOPE_DEBUG=1``: Django debug pages (never in production).
- ``KALEIDOSCOPE_ALLOWED_HOSTS``: extra host names, comma separated (``*`` for any).
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import dj_database_url

from kaleidoscope.web.core.datadir import data_dir, secret_key, sqlite_file

if "pytest" in sys.modules and "KALEIDOSCOPE_DATA_DIR" not in os.environ:
    # pytest-django imports these settings before any conftest runs: keep test runs out
    # of the user's real data directory.
    os.environ["KALEIDOSCOPE_DATA_DIR"] = tempfile.mkdtemp(prefix="kaleidoscope-test-")
    atexit.register(shutil.rmtree, os.environ["KALEIDOSCOPE_DATA_DIR"], True)

WEB_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()
SECRET_KEY = secret_key(DATA_DIR)
# Every temporary file of this process (request bodies Django spools to disk, uploads,
# extracted archives) goes to a private folder inside the data folder, never /tmp.
PRIVATE_TMP = DATA_DIR / "tmp"
PRIVATE_TMP.mkdir(mode=0o700, exist_ok=True)
PRIVATE_TMP.chmod(0o700)
tempfile.tempdir = str(PRIVATE_TMP)
FILE_UPLOAD_TEMP_DIR = str(PRIVATE_TMP)
DEBUG = os.environ.get("KALEIDOSCOPE_DEBUG") == "1"

ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
ALLOWED_HOSTS += [
    h.strip() for h in os.environ.get("KALEIDOSCOPE_ALLOWED_HOSTS", "").split(",") if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django_tasks",  # the backport of Django 6's tasks framework (archive scans)
    "django_tasks_db",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "kaleidoscope.web.core",
    "kaleidoscope.web.learn",
    "kaleidoscope.web.check",
    "kaleidoscope.web.see",
    "kaleidoscope.web.groups",
    "kaleidoscope.web.connect",
    "kaleidoscope.web.organise",
    "django.contrib.admin",  # only for registering LTI platforms (kaleidoscope.web.lms)
    "lti_tool",
    "kaleidoscope.web.lms",
]

# Under ASGI, Django runs a run of sync middleware in one thread hop but switches to the
# event loop and back around each async-capable one placed among sync ones. Ours are sync
# only and come first and last, so Django's own (sync or async) all run sync, in the
# request's thread, with the view: two hops a request instead of about ten.
MIDDLEWARE = [
    "kaleidoscope.web.core.middleware.StreamsHoldNoConnectionMiddleware",
    *(["kaleidoscope.web.core.timing.ServerTimingMiddleware"] if DEBUG else []),
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kaleidoscope.web.core.middleware.SignedInSessionMiddleware",
]

ROOT_URLCONF = "kaleidoscope.web.urls"
ASGI_APPLICATION = "kaleidoscope.web.asgi.application"
WSGI_APPLICATION = "kaleidoscope.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,  # each app's templates are in its jinja2/ folder
        "OPTIONS": {"environment": "kaleidoscope.web.core.jinja.environment"},
    },
    {  # Django's admin only (/admin/, LTI platform registration); every page of ours is Jinja2
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]

_database_url = os.environ.get("DATABASE_URL", "").strip()
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=0)}
    _pool_size = int(os.environ.get("KALEIDOSCOPE_DB_POOL", "8"))
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and _pool_size > 0:
        # psycopg's connection pool (Django 5.1+, docs/adr/0017-postgresql-connection-pool.md):
        # a request borrows an open connection instead of opening one (several ms each)
        # and gives it back when it ends (CONN_MAX_AGE stays 0). Per server process; a
        # request that finds all of them in use waits up to the timeout, then gets a 500.
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(2, _pool_size),
            "max_size": _pool_size,
            "timeout": float(os.environ.get("KALEIDOSCOPE_DB_POOL_TIMEOUT", "10")),
        }
    _test_name = os.environ.get("KALEIDOSCOPE_TEST_DB_NAME")
    if _test_name:
        DATABASES["default"]["TEST"] = {"NAME": _test_name}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(sqlite_file(DATA_DIR)),  # 0600, so its -wal and -shm are too
            "OPTIONS": {
                # WAL: readers never block the writer; NORMAL sync is durable across a
                # crash of the process (SIGKILL), which is what the server must survive.
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=10000;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 10,
            },
            "CONN_MAX_AGE": 0,
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/sign-in/"

# An anonymous learner's browser keeps its record for 6 months; a signed-in session lasts
# 2 weeks from the last visit (shared council computers), renewed at most once a day
# (kaleidoscope.web.core.middleware.SignedInSessionMiddleware).
SESSION_COOKIE_AGE = 60 * 60 * 24 * 180
SIGNED_IN_SESSION_AGE = 60 * 60 * 24 * 14
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Behind TLS (KALEIDOSCOPE_HTTPS=1): secure cookies, HSTS, the proxy's scheme header
# trusted, and plain-HTTP requests redirected. KALEIDOSCOPE_SECURE_COOKIES=1 (older name)
# still turns on secure cookies alone.
HTTPS = os.environ.get("KALEIDOSCOPE_HTTPS") == "1"
SESSION_COOKIE_SECURE = HTTPS or os.environ.get("KALEIDOSCOPE_SECURE_COOKIES") == "1"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False  # the council's other sites are not ours to bind
# A strict Content-Security-Policy (django-csp): scripts, styles and everything else only
# from this site; no inline script or style, no eval, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_FAILURE_VIEW = "kaleidoscope.web.core.views.csrf_failure"
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"  # no DB write
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

# Archive uploads (/check/archive/): largest file accepted (bytes, or e.g. "500M", "2G").
CHECK_UPLOAD_MAX_BYTES = os.environ.get("KALEIDOSCOPE_UPLOAD_MAX_BYTES") or 2 * 1024**3

# State shared between server processes (sign-in throttle, rate limits, group state,
# scan-job status and finished reports) goes through Django's cache: local memory for
# one process, Redis when REDIS_URL is set (required for `serve --workers N`, N > 1).
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("KALEIDOSCOPE_CACHE_PREFIX", "kaleidoscope"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # sessions, limits, scan status and reports share it: far above Django's 300
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }
# Background tasks (archive scans) through the django-tasks backport of Django 6's tasks
# framework, stored by its database backend. An uploaded archive is only on the machine
# that received it, so each machine has its own queue, named after the host
# (KALEIDOSCOPE_TASK_QUEUE overrides it), and runs its own `kaleidoscope worker`.
def _host_queue() -> str:
    import hashlib
    import re
    import socket

    host = re.sub(r"[^A-Za-z0-9.-]", "-", socket.gethostname()) or "localhost"
    if len(host) > 27:  # the queue name column holds 32 characters
        host = host[:18] + "-" + hashlib.sha256(host.encode()).hexdigest()[:8]
    return "host-" + host


TASK_QUEUE = os.environ.get("KALEIDOSCOPE_TASK_QUEUE", "").strip()[:32] or _host_queue()
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": [TASK_QUEUE, "default"],
    }
}

# Days a group session (votes, reasons, names) is kept after its last activity
# (kaleidoscope.web.core.housekeeping deletes it then).
GROUP_KEEP_DAYS = int(os.environ.get("KALEIDOSCOPE_GROUP_KEEP_DAYS", "90"))

# Connect (/connect/): the Fernet key(s) that encrypt check-in notes, comma separated
# (the first encrypts). Unset: a key file made in the data directory (mode 0600).
KALEIDOSCOPE_FIELD_KEY = os.environ.get("KALEIDOSCOPE_FIELD_KEY", "").strip()

STATIC_URL = "/static/"
WHITENOISE_USE_FINDERS = True  # serve straight from the package: no collectstatic step

# Learning platforms (docs/lms.md, docs/xapi.md). Nothing is sent anywhere unless set: an
# LRS for xAPI statements, and per LTI platform (admin or `kaleidoscope lms register`)
# whether grades and statements go to it.
XAPI_ENDPOINT = os.environ.get("KALEIDOSCOPE_XAPI_ENDPOINT", "").strip()
XAPI_USERNAME = os.environ.get("KALEIDOSCOPE_XAPI_USERNAME", "")
XAPI_PASSWORD = os.environ.get("KALEIDOSCOPE_XAPI_PASSWORD", "")
XAPI_ACTIVITY_BASE = os.environ.get(
    "KALEIDOSCOPE_XAPI_ACTIVITY_BASE", "https://kaleidoscope.invalid/xapi"
)
XAPI_ACTOR_HOME = os.environ.get("KALEIDOSCOPE_XAPI_ACTOR_HOME", "https://kaleidoscope.invalid")
XAPI_ALL_PLAYS = os.environ.get("KALEIDOSCOPE_XAPI_ALL_PLAYS") == "1"
XAPI_TIMEOUT = float(os.environ.get("KALEIDOSCOPE_XAPI_TIMEOUT", "10"))
XAPI_RETRY_BASE = float(os.environ.get("KALEIDOSCOPE_XAPI_RETRY_BASE", "1"))
XAPI_RETRY_MAX = 300.0
XAPI_MAX_ATTEMPTS = 10
# The web process starts the xAPI sender as its child unless KALEIDOSCOPE_XAPI_SENDER=off.
XAPI_SENDER_CHILD = os.environ.get("KALEIDOSCOPE_XAPI_SENDER", "child") != "off"

# Nothing personal in logs: no request paths at warning level, no access log (see cli.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_traceback": {"()": "kaleidoscope.web.core.logs.NoTraceback"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "console_short": {"class": "logging.StreamHandler", "filters": ["no_traceback"]},
    },
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING"},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security": {
            "handlers": ["console_short"],
            "level": "ERROR",
            "propagate": False,
        },
    },
}
