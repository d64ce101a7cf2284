import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_REFERRER_POLICY = "same-origin"
# Django's defaults, said here as `check --deploy` and tests/portal/test_security_headers.py rely on them: no
# other site's window keeps a handle on ours, and no frame of another site shows ours (frame-ancestors in the
# Content-Security-Policy says the same to current browsers, base.py).
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The Content-Security-Policy (CONTENT_SECURITY_POLICY, portal/core/csp.py) is on in every environment.

# The cache (CACHE_BACKEND, CACHE_LOCATION in base.py) may stay the local-memory one with several gunicorn
# workers or servers: cached Atlas pages and map data are keyed on a version kept in the database
# (portal/core/cache_versions.py): every process shows an edit as soon as it commits. Each process then builds
# and keeps its own copies; Redis (REDIS_URL, client from `pip install ".[production]"`) shares them.

# REDIS_URL (redis://host:6379/1, a database of its own: see portal/core/cache_backends.py) shares the cache
# across processes and servers. The backend answers misses while Redis is away instead of raising, so that
# pages are still served. Sessions are then cached_db: read from Redis, always written to the database too,
# so that logins keep working with Redis stopped (a cache-only session would log everybody out, and refuse
# logins, while it is away).
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "portal.core.cache_backends.DegradingRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# django-axes keeps its failed logins in the database (its default handler, said here on purpose): the
# lockouts hold across servers and survive a Redis restart, and a login never depends on Redis.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# A PostgreSQL restart: each process checks its kept connection before reusing it and opens a new one
# (CONN_HEALTH_CHECKS, set in base.py with CONN_MAX_AGE from DB_CONN_MAX_AGE); a request caught by the
# restart gets the outage page (portal/core/db_outage.py).

# Background work goes to a database queue served by `manage.py task_worker` processes (django-tasks-db's
# db_worker, which also queues again what a dead worker left running: portal/core/task_recovery.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}

# Public media in an S3-compatible store: MEDIA_STORAGE=s3 and the AWS_* variables below (django-storages
# reads them from the settings). Members' private photos stay on the private storage whatever holds the
# public media (portal.core.private_files.PrivateNamesMixin); MEDIA_STORAGE_BACKEND names any other class,
# which must mix PrivateNamesMixin in for the same reason.
if os.environ.get("MEDIA_STORAGE") == "s3":
    STORAGES["default"] = {"BACKEND": "portal.core.s3_storage.S3MediaStorage"}  # noqa: F405
    AWS_STORAGE_BUCKET_NAME = os.environ["AWS_STORAGE_BUCKET_NAME"]
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_ACCESS_KEY_ID = os.environ.get("AWS_ACCESS_KEY_ID") or None
    AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY") or None
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    AWS_QUERYSTRING_AUTH = False  # public media: plain, cacheable addresses
    AWS_S3_FILE_OVERWRITE = False
elif os.environ.get("MEDIA_STORAGE_BACKEND"):
    STORAGES["default"] = {"BACKEND": os.environ["MEDIA_STORAGE_BACKEND"]}  # noqa: F405
