"""The Content-Security-Policy of every answer (django-csp), with two additions django-csp cannot make alone.

- The public and member pages get settings.CONTENT_SECURITY_POLICY, strict: no inline script or style, every
  file from this site. Nothing of these pages is written inline (a test reads them: tests/portal/
  test_security_headers.py), and no nonce is used: the page cache (portal/core/page_cache.py) would keep one
  nonce for every visitor of a cached page.
- A map tile server is an admin's choice (PortalSettings.map_tile_url, or MAP_TILE_URL for the admin's map
  widgets): its host is added to img-src at each answer, read through the cache, so that a new tile server
  works without a restart and a cached page's header names the current one.
- The Wagtail admin gets settings.CONTENT_SECURITY_POLICY_ADMIN (see the settings' comment for what it relaxes
  and why), by address prefix: its views are Wagtail's own and cannot all be decorated.

A view that may be shown in another site's frame (issue 15's embeddable map) says so with `@embeddable()`.
"""

import functools
import re
from urllib.parse import urlsplit

from csp.decorators import csp_update
from csp.middleware import CSPMiddleware

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.views.decorators.clickjacking import xframe_options_exempt

from portal.models import PortalSettings

TILE_SOURCES_KEY = "csp:tile-sources"
# A change of the site settings deletes the key (portal/apps.py); another process's cache (LocMemCache) keeps
# its copy until then at most.
TILE_SOURCES_SECONDS = 60
ADMIN_PREFIXES = ("/admin/",)
PLACEHOLDER = re.compile(r"\{[^}]*\}")


def tile_source(url):
    """The CSP source that admits the tiles of a Leaflet URL template, or None when it names no web host.

    "https://{s}.tile.example.org/{z}/{x}/{y}.png" -> "https://*.tile.example.org": a placeholder may only
    stand for the leftmost label of the host (CSP's wildcard); any other one cannot be admitted: left out.
    """
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        return None
    labels = host.split(".")
    if PLACEHOLDER.search(labels[0]):
        labels[0] = "*"
    if any(not re.fullmatch(r"[a-z0-9-]+", label) for label in labels[1:]):
        return None
    if not re.fullmatch(r"[a-z0-9-]+|\*", labels[0]) or (labels[0] == "*" and len(labels) < 3):
        return None
    return f"{parts.scheme}://{'.'.join(labels)}" + (f":{port}" if port else "")


def tile_sources():
    """The hosts of every configured tile server: the site settings of every site, and MAP_TILE_URL."""
    sources = cache.get(TILE_SOURCES_KEY)
    if sources is None:
        urls = [settings.GEO_WIDGET_LEAFLET_TILE_LAYER]
        try:
            urls += PortalSettings.objects.exclude(map_tile_url="").values_list("map_tile_url", flat=True)
        except DatabaseError:
            # The database away (a restart): the page, maybe from the page cache, is still served, with the
            # environment's tile server only, and the site settings are read again at the next answer.
            return sorted({source for source in map(tile_source, urls) if source})
        sources = sorted({source for source in map(tile_source, urls) if source})
        cache.set(TILE_SOURCES_KEY, sources, TILE_SOURCES_SECONDS)
    return sources


def forget_tile_sources(**kwargs):
    cache.delete(TILE_SOURCES_KEY)


def is_admin(request):
    return request.path_info.startswith(ADMIN_PREFIXES)


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's policy and the tile servers' hosts."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        if parts.config is None and is_admin(request):
            parts.config = settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]
        # Only pages load images; a JSON or CSV answer needs no tile server (and costs no cache read).
        if response.get("Content-Type", "").startswith("text/html"):
            sources = tile_sources()
            if sources:
                update = dict(parts.update or {})
                update["img-src"] = [*update.get("img-src", []), *sources]
                parts.update = update
        return parts


def embeddable(ancestors=("*",)):
    """A view whose pages other sites may show in a frame: frame-ancestors opened to `ancestors`, and no
    X-Frame-Options (browsers that read both take the stricter)."""

    def decorator(view):
        @functools.wraps(view)
        @xframe_options_exempt
        @csp_update({"frame-ancestors": list(ancestors)})
        def wrapped(*args, **kwargs):
            return view(*args, **kwargs)

        return wrapped

    return decorator
