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

# The cache (CACHE_BACKEND, CACHE_LOCATION in base.py) may stay the local-memory one with several gunicorn
# workers or servers: cached Atlas pages and map data are keyed on a version kept in the database
# (portal/core/cache_versions.py): every process shows an edit as soon as it commits. Each process then builds
# and keeps its own copies; Redis (CACHE_BACKEND=django.core.cache.backends.redis.RedisCache,
# CACHE_LOCATION=redis://host:6379/1, client from `pip install ".[production]"`) shares them across processes.

# Background work goes to a database queue served by `manage.py db_worker` processes.
TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}

if os.environ.get("MEDIA_STORAGE_BACKEND"):
    STORAGES["default"] = {"BACKEND": os.environ["MEDIA_STORAGE_BACKEND"]}  # noqa: F405
