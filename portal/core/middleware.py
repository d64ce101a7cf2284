"""Requests no form of the portal could have sent are answered with a French 400 page, before any view runs.

Control characters (NUL above all: PostgreSQL refuses it in any text, so a search for "a%00b" would otherwise
end in a server error) have no place in an address, a query string or a posted form; tabs, line breaks and
the vertical tab and form feed that text pasted from a word processor may carry stay allowed, since text
areas send them.

A `next` parameter (where to go after a login, a lock, a choice in the admin) is a path of this site, this
site's own full address (Wagtail's dashboard posts its workflow actions with the page's address) or nothing.
Anything else ("0", "nan") made Django's redirect() look it up as a view name and fail with a server error,
in Wagtail's views as in ours.
"""

import logging
import re
from urllib.parse import urlsplit

from django.core.exceptions import DisallowedHost
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.views.defaults import bad_request as plain_bad_request

logger = logging.getLogger(__name__)

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
SITE_PATH = re.compile(r"/(?![/\\])")  # "/compte/", not "//elsewhere.example" nor "/\\elsewhere.example"


def bad_request(request, exception=None):
    """The DSFR page of a 400 (also Django's handler400, for the SuspiciousOperation errors)."""
    try:
        return render(request, "400.html", status=400)
    except Exception:  # A request that broke the page itself still gets a 400, a plain one.
        logger.exception("The 400 page could not be rendered")
        return plain_bad_request(request, exception)


def is_this_site(value, request):
    """A path of this site, or an address of it in full: the dashboard's workflow actions (approve, request
    changes) post `next` as the page's own window.location."""
    if SITE_PATH.match(value):
        return True
    try:
        parts = urlsplit(value)
        host = request.get_host()
    except (ValueError, DisallowedHost):
        return False
    return parts.scheme in ("http", "https") and parts.netloc == host and SITE_PATH.match(parts.path or "")


def unreadable(key, values, request):
    if CONTROL_CHARACTERS.search(key) or any(CONTROL_CHARACTERS.search(value) for value in values):
        return True
    return key == "next" and any(value and not is_this_site(value, request) for value in values)


def is_unreadable(request):
    if CONTROL_CHARACTERS.search(request.path):
        return True
    data = [request.GET]
    if request.method == "POST":
        data.append(request.POST)
    return any(unreadable(key, values, request) for query in data for key, values in query.lists())


class RejectUnreadableInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            refused = is_unreadable(request)
        except MultiPartParserError:
            refused = True
        if refused:
            return bad_request(request)
        return self.get_response(request)
