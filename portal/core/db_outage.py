"""The database away for a moment (PostgreSQL restarted, a failover): a French 503 instead of a 500, and
nothing the visitor typed is lost.

A request whose queries fail with OperationalError or InterfaceError gets a 503 with Retry-After. A POST's
503 page carries the posted values back as hidden inputs of a form that posts them again to the same address
("Renvoyer"), so that a declaration or a dossier typed for an hour is one click from being saved once the
database is back. Passwords are not written back (they are typed again). Files cannot be carried back (a
browser never lets a page fill a file input): the page says so when the post had some.

The page is rendered without the database (no context processor, no Wagtail setting), as 500.html is.
Recovery needs nothing from here: the broken connection is dropped when the request ends, and the next
request opens a new one (CONN_HEALTH_CHECKS in settings). DatabaseOutageMiddleware catches what views and
their templates raise; server_error (handler500) catches the rest, e.g. a session saved by a middleware.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.defaults import server_error as plain_server_error

logger = logging.getLogger(__name__)

# Seconds a client should wait before trying again: a PostgreSQL restart takes a few.
RETRY_AFTER = 5
TOKEN_FIELD = "csrfmiddlewaretoken"  # noqa: S105 (a field name)


def lost_database_errors():
    """Django's OperationalError and InterfaceError, and the database drivers' own: a few paths raise the
    driver's unwrapped (psycopg closing a server-side cursor when PostgreSQL went away mid-iteration)."""
    drivers = {connections[alias].Database for alias in connections}
    return (
        OperationalError,
        InterfaceError,
        *(getattr(driver, name) for driver in drivers for name in ("OperationalError", "InterfaceError")),
    )


def database_error(exception):
    """The OperationalError or InterfaceError behind `exception` (itself, its cause or context), or None."""
    lost = lost_database_errors()
    seen = set()
    while exception is not None and id(exception) not in seen:
        if isinstance(exception, lost):
            return exception
        seen.add(id(exception))
        exception = exception.__cause__ or exception.__context__
    return None


def kept(field):
    """Whether a posted field is written back into the page: not the old CSRF token (a fresh one is), nor a
    password, which no page of the portal shows again (as Django's PasswordInput does not)."""
    return field != TOKEN_FIELD and "password" not in field.lower()


def wants_json(request):
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def outage_response(request):
    """The 503 of a request the database could not serve; a POST's page re-offers what was posted."""
    message = _("The service is unavailable for a moment. Please try again in a few seconds.")
    if wants_json(request):
        response = JsonResponse({"error": message}, status=503)
    else:
        posted, files, passwords = [], False, False
        if request.method == "POST":
            posted = [(key, value) for key, values in request.POST.lists() if kept(key) for value in values]
            files = bool(request.FILES)
            passwords = any(not kept(key) for key in request.POST if key != TOKEN_FIELD)
        context = {
            "message": message,
            "is_post": request.method == "POST",
            "posted": posted,
            "files": files,
            "passwords": passwords,
            "action": request.get_full_path(),
            "csrf_token": get_token(request) if request.method == "POST" else "",
            "token_field": TOKEN_FIELD,
            "language": getattr(request, "LANGUAGE_CODE", "fr"),
        }
        response = HttpResponse(render_to_string("db_outage.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    # Logged once, as a warning, by the middleware: not again as an error by django.request.
    response._has_been_logged = True
    # Never kept by a cache: the page is about this moment and may hold what the visitor typed.
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        error = database_error(exception)
        if error is None:
            return None
        logger.warning("Database unavailable for %s %s: %s", request.method, request.path, error)
        return outage_response(request)


def server_error(request, *args, **kwargs):
    """handler500: the outage page when the error was the database's, Django's 500 page otherwise."""
    if database_error(sys.exc_info()[1]) is not None:
        try:
            return outage_response(request)
        except Exception:
            logger.exception("The database outage page could not be rendered")
    return plain_server_error(request, *args, **kwargs)
