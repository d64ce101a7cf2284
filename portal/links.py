"""Absolute links for e-mails: from the request when there is one, else from the configured base URL
(background tasks and signal handlers have no request)."""

from django.conf import settings


def absolute(path, request=None):
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
