"""Fast and predictable: MD5 hashing, plain static storage, local-memory cache and e-mail, immediate tasks."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = BASE_DIR / "tmp" / "test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / "tmp" / "test-private-media"  # noqa: F405
STORAGES["private"]["OPTIONS"]["location"] = PRIVATE_MEDIA_ROOT  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
