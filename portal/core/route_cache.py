"""What every Wagtail page's answer needs before its own content, kept per process while no page family
changes: the site, its settings and menu, the route to the page, its view restrictions and its ancestors.

Wagtail finds a page with a query for the site, two for every level of the page tree (the child, then its
specific row) and two for the view restrictions of the page and its ancestors; the page's frame then reads the
site settings, the three pages they link from the footer, the menu and the breadcrumb's ancestors. About 8 ms
of CPU and ten queries on the Atlas home, half of the page's time, the same on every Atlas, Bourse or
editorial page. All of it changes only when a page is published, unpublished, moved, renamed or deleted, or a
site, the site settings or a view restriction changes, and each of these bumps the version of a page family
(portal/core/page_cache.py). So it is kept with the versions of every family, read in the request's one
version query (the Atlas pages read the Atlas version anyway), and used while they are all current.

Each request gets its own copies, unpickled from the kept bytes: nothing a request sets on its page or its
settings reaches another request. A routable page's sub-route is resolved again on the copy (no query), so
that its view is bound to the copy and `request.routable_resolver_match` is set as Wagtail sets it.
"""

import pickle
import threading
from collections import OrderedDict

from django.http import Http404
from django.http.request import split_domain_port
from django.utils import translation

from wagtail import views as wagtail_views
from wagtail.models import Page, Site

from portal.models import PortalSettings

from . import cache_versions, page_cache
from .translations import localized

# Paths (and hosts) kept per process; the least recently served is forgotten first (an entry is a few kB).
MAX_ENTRIES = 1000
# Set on the request by the middleware, read by the main_menu tag (portal/templatetags/portal_tags.py).
MENU_ATTRIBUTE = "_portal_main_menu"
# Set on the served page's copy: its ancestors below the home, for the breadcrumb (see ancestors()).
ANCESTORS_ATTRIBUTE = "_portal_ancestors"
# Set on the request by the middleware: the versions it read and the host key, for remembered().
VERSIONS_ATTRIBUTE = "_portal_route_versions"

_kept = OrderedDict()  # key -> (versions, pickled bytes, extra)
_lock = threading.Lock()  # a threaded server's requests share _kept


def _versions():
    """The versions of every page family: every change a visitor could see in the frame bumps one of them."""
    names = sorted(page_cache.families_of(Page))
    versions = cache_versions.current_many(names)
    return tuple(versions[name] for name in names)


def _get(key, versions):
    with _lock:
        entry = _kept.get(key)
        if entry is None or entry[0] != versions:
            return None
        _kept.move_to_end(key)
    # Bytes this process pickled itself, never anything received.
    return pickle.loads(entry[1]), entry[2]  # noqa: S301


def _put(key, versions, value, extra=None):
    data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    with _lock:
        _kept[key] = (versions, data, extra)
        _kept.move_to_end(key)
        while len(_kept) > MAX_ENTRIES:
            _kept.popitem(last=False)


def localized_root(site):
    """The site's root page in the active language's tree (Wagtail's i18n), the French one without it."""
    return localized(site.root_page)


def menu_pages(site):
    """The published children marked "show in menus" of the site's root, in the active language's tree."""
    if site is None:
        return []
    return list(
        localized_root(site)
        .get_children()
        .live()
        .in_menu()
        .only("id", "title", "url_path", "path", "depth", "locale_id")
    )


def ancestors(page):
    """The page's ancestors below the home (the breadcrumb's links): kept with a served page's route."""
    kept = getattr(page, ANCESTORS_ATTRIBUTE, None)
    if kept is not None:
        return kept
    if page.depth is not None and page.depth <= 3:
        return []
    return list(Page.objects.ancestor_of(page).filter(depth__gt=2).only("title", "url_path", "path", "depth"))


def _frame(site):
    """The site settings (with the pages the footer links) and the menu of `site`."""
    portal = (
        PortalSettings.base_queryset()
        .select_related("legal_notice_page", "accessibility_page", "personal_data_page")
        .filter(site=site)
        .first()
    ) or PortalSettings.for_site(site)
    return portal, menu_pages(site)


def _with_restrictions(page, restrictions):
    """Hand Wagtail's restriction check (and portal.accounts' members-only hook) the list read already."""
    page.get_view_restrictions = lambda: restrictions
    return page


def _route(request, path):
    """Route as Wagtail does: (page, restrictions, ancestors, rest) to keep, or None to keep nothing."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    components = [component for component in path.split("/") if component]
    # Wagtail's own Page.route_for_request, from the root of the active language's tree found without a
    # query (Wagtail's `localized` asks the database for the active Locale at each request).
    root_page = localized_root(site)
    try:
        result = root_page.specific.route(request, components)
    except Http404:
        result = None
    request._wagtail_route_for_request = result
    if result is None:
        return None
    page = result[0]
    # The path below the site's root that reached the page; the rest is the page's own (a routable page's
    # sub-route). Anything but this plain walk of the tree (a custom route()) is not kept.
    root = root_page.url_path
    if not page.url_path.startswith(root):
        return None
    walked = [component for component in page.url_path[len(root) :].split("/") if component]
    if components[: len(walked)] != walked:
        return None
    return page, list(page.get_view_restrictions()), ancestors(page), components[len(walked) :]


class RouteCacheMiddleware:
    """Before a Wagtail page is served, put its site, route, settings and menu on the request where Wagtail
    and our tags look for them first (request._wagtail_site, request._wagtail_route_for_request, the
    settings' request attribute, MENU_ATTRIBUTE), from this process's copies while they are current."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_views.serve or hasattr(request, "_wagtail_route_for_request"):
            return None
        versions = _versions()
        # The menu and the route differ by language: /rubrique/ and /en/rubrique/ reach the same path here,
        # served from the French and the English trees.
        host = (split_domain_port(request._get_raw_host())[0], request.get_port(), translation.get_language())
        setattr(request, VERSIONS_ATTRIBUTE, (versions, host))
        kept = _get(("site", *host), versions)
        if kept is None:
            # Wagtail's own lookup (request._wagtail_site), with its fallback to the default site.
            site = page_site = Site.find_for_request(request)
            frame = _frame(site) if site is not None else (None, [])
            _put(("site", *host), versions, (site, *frame))
        else:
            page_site, *frame = kept[0]
            request._wagtail_site = page_site
        portal, menu = frame
        if portal is not None:
            portal._request = request
            setattr(request, PortalSettings.get_cache_attr_name(), portal)
        setattr(request, MENU_ATTRIBUTE, menu)
        if page_site is None:
            return None

        path = view_args[0] if view_args else view_kwargs.get("path", "")
        key = ("route", *host, path)
        kept = _get(key, versions)
        if kept is not None:
            (page, restrictions, parents), rest = kept
            setattr(page, ANCESTORS_ATTRIBUTE, parents)
            try:
                request._wagtail_route_for_request = _with_restrictions(page, restrictions).route(
                    request, rest
                )
            except Http404:
                request._wagtail_route_for_request = None
            return None
        routed = _route(request, path)
        if routed is None:
            with _lock:
                _kept.pop(key, None)
            return None
        page, restrictions, parents, rest = routed
        _put(key, versions, (page, restrictions, parents), rest)
        # The page Wagtail routed serves this request: its restrictions and ancestors are read already.
        setattr(page, ANCESTORS_ATTRIBUTE, parents)
        _with_restrictions(page, restrictions)
        return None


def remembered(request, key, compute):
    """compute() for a Wagtail page's request, kept in this process while the page families' versions this
    request read are current (a page's translations for the language links: no query at the next visit)."""
    seen = getattr(request, VERSIONS_ATTRIBUTE, None)
    if seen is None:
        return compute()
    versions, host = seen
    full_key = ("remembered", *host, *key)
    kept = _get(full_key, versions)
    if kept is not None:
        return kept[0]
    value = compute()
    _put(full_key, versions, value)
    return value


def forget():
    """Drop every copy this process keeps (tests)."""
    with _lock:
        _kept.clear()
