"""The anonymous page cache: every public page answered to a visitor who is not logged in is kept in the
shared cache (settings.CACHES["default"]: Redis in production) and served from there until what it shows
changes.

What is cached
    GET and HEAD requests that carry no session cookie and no messages cookie (so no logged-in member, no
    flash message, no per-visitor draft), no ``Cache-Control: no-cache`` (a hard reload, and the bench's
    uncached measurements), no Authorization header, to an address Wagtail serves (a page, or a route of a
    routable page: the Atlas's and the Bourse's sub-pages). Other views are left alone, at no cost: the
    site search (which counts its queries), the member area, the admin, the JSON, CSV and PDF endpoints
    (which have their own caching). Of those requests, a 200 HTML answer is kept when it sets no cookie, did
    not use the CSRF token (a page with a POST form: its token is the visitor's own), added no message,
    changed no session, used no CSP nonce, asks for no ``private``/``no-store``/``no-cache`` and varies on
    no other request header than Cookie, Accept-Language and Accept-Encoding.

The key
    Scheme, host, path, the query string (its pairs sorted by name, values in their order; over
    MAX_QUERY_LENGTH characters nothing is cached) and the language LocaleMiddleware chose. The entry keeps
    the answer with the **versions** (portal/core/cache_versions.py) of the data families the page shows,
    read before the view runs (so a page is never filed under a version newer than its data); a later visit
    is a hit only if those versions are still current. The entry keeps the page's bytes, plain and gzipped
    (compressed once, not at every visit), and its headers.

What a hit costs
    The middleware is the outermost: a hit runs no other middleware, loads no session, user or page. The
    versions come from this process's copy of their mirror in Redis, kept current by pub/sub
    (portal/core/cache_versions.py, versions_copy.py), so a hit makes no database query and, usually, no
    network call (one query when the cache is not shared: LocMemCache in development). Each process keeps
    its last LOCAL_ENTRIES pages too, checked against the versions like the shared ones: a hot page is served
    without reading the shared cache (`make bench` compares a hit with a static file: its `cached` rows).

The families (which version each page depends on)
    Each product says which families its page types show with ``depends_on(PageModel, *names)`` in its
    AppConfig.ready(); a page type nobody declared depends on every family (correct, if not precise).
    Every page also depends on SITE: the header, menu and footer are on every page. As declared today:

    ========================  ================================================================
    page type                 families
    ========================  ================================================================
    home                      site, pages (latest features), atlas (figures), tourism
    editorial pages           site, pages (country zooms and good practices: + atlas)
    Atlas page and routes     site, atlas (+ tourism: the experiences naming an authority)
    Bourse page and routes    site, bourse, atlas (partners and countries are Atlas records)
    tourism pages             site, tourism, atlas (experiences name authorities and projects);
                              experiences + tourism-comments
    funding calls             site, pages
    ========================  ================================================================

    So an Atlas edit (which bumps "atlas") leaves the rubric's and the features' cached pages alone, and a
    comment (which bumps "tourism-comments") leaves the Atlas alone.

What bumps a family
    - A page saved with content (a publish saves it; a draft's bookkeeping does not count), unpublished or
      deleted: the families of its type and of its parent's type (the parent lists it: a rubric its features,
      the experiences' index its experiences).
    - SITE, shown everywhere: a page at the menu's level (the home and its children) or one the site settings
      point to (the footer's links) saved; any page unpublished, deleted, moved or renamed (its address, and
      every link to it, change); the site settings, sites, view restrictions; images and documents (their
      files' addresses appear in pages), except members' photos, which only tourism pages show.
    - The products' own records, each under its family with ``cache_versions.bump_on_change`` (the Atlas
      records under "atlas", the Bourse projects under "bourse", the comments under "tourism-comments").

For browsers and proxies
    A cacheable answer says ``Cache-Control: public, max-age=BROWSER_SECONDS, s-maxage=PROXY_SECONDS`` and
    ``Vary: Cookie, Accept-Language``; an HTML answer to a visitor with a session is ``private``. A proxy or
    CDN in front of the portal keeps pages at most PROXY_SECONDS (settings.PAGE_CACHE_PROXY_SECONDS), or
    until Wagtail's front-end cache invalidation purges a published page (FRONTEND_CACHE_PURGE_URL).
    ``X-Page-Cache: hit``, ``miss`` or ``bypass`` says what this cache did.

Clock-dependent content (a call or a window closing) is at most settings.PAGE_CACHE_SECONDS (5 minutes) late.
"""

import functools
import gzip
import hashlib
import re
import threading
import time
from collections import OrderedDict
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import ForeignKey, Q
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import has_vary_header, patch_cache_control, patch_vary_headers
from django.utils.text import compress_string

from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_slug_changed, page_unpublished, post_page_move

from portal.models import PortalSettings

from . import cache_versions

SITE = "site"
PAGES = "pages"

KEY_PREFIX = "pagecache"
MAX_QUERY_LENGTH = 1024
HEADER = "X-Page-Cache"
WAGTAIL_SERVE = "wagtail_serve"  # the name of Wagtail's catch-all address (wagtail.urls)
# Request headers a cached answer may vary on: the key covers the language, the anonymous visitor's other
# cookies do not change the page, and compression is done outside (proxy, whitenoise).
HARMLESS_VARY = {"cookie", "accept-language", "accept-encoding"}
# Page saves that only keep the revisions' books: nothing the public sees changes.
BOOKKEEPING_FIELDS = {
    "latest_revision",
    "latest_revision_created_at",
    "has_unpublished_changes",
    "draft_title",
    "locked",
    "locked_at",
    "locked_by",
}

_families = {}  # model class -> set of family names
_names = {SITE, PAGES}  # every family name a page may depend on


def depends_on(model, *names):
    """Declare that the pages of `model` (and its subclasses) show the data of the families `names`."""
    _families.setdefault(model, set()).update(names)
    _names.update(names)


def families_of(model):
    """The families a page of `model` shows, SITE included; every family when nobody declared its type."""
    declared = set()
    for cls in model.__mro__:
        declared |= _families.get(cls, set())
    if not declared:
        return set(_names)
    return declared | {SITE}


def note_served_page(page, request, serve_args, serve_kwargs):
    """Wagtail's before_serve_page hook: the answer is a page's, of the families of its type."""
    request._page_cache_families = families_of(type(page))


hooks.register("before_serve_page", note_served_page)


def cacheable(*names):
    """A view outside the page tree whose anonymous answers are kept like a page's, under the families `names`
    (and SITE): the Atlas's embeddable map (atlas/embed.py), a page in all but its address."""
    families = {SITE, *names}
    _names.update(names)

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            request._page_cache_families = families
            return view(request, *args, **kwargs)

        wrapped.page_cacheable = True
        return wrapped

    return decorator


# The middleware ---------------------------------------------------------------------------------------------


_FILE_PREFIXES = tuple(
    prefix for prefix in (settings.STATIC_URL, settings.MEDIA_URL) if prefix and prefix != "/"
)


def normalised_query(query_string):
    """The query string with its pairs sorted by name (a stable sort: a name's values keep their order)."""
    pairs = parse_qsl(query_string, keep_blank_values=True)
    return urlencode(sorted(pairs, key=lambda pair: pair[0]))


def asks_no_cache(request):
    directives = request.headers.get("Cache-Control", "").lower()
    return "no-cache" in directives or "no-store" in directives


def may_look_up(request):
    if request.method not in ("GET", "HEAD"):
        return False
    # Static files (WhiteNoise, just inside) and media: not pages, and not worth a cache read.
    if request.path_info.startswith(_FILE_PREFIXES):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    if asks_no_cache(request) or "Authorization" in request.headers:
        return False
    return len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_LENGTH


def serves_a_page(request):
    """Whether the address is Wagtail's (a page or a page's route) or a view marked `cacheable`: other views
    are never cached, and cost nothing here (resolving an address reads no database)."""
    try:
        with translation.override(language_of(request)):  # i18n_patterns match the active language's prefix
            match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return match.url_name == WAGTAIL_SERVE or getattr(match.func, "page_cacheable", False)


def language_of(request):
    """The language LocaleMiddleware will choose (it runs after this middleware): the address's prefix, French
    without one (i18n_patterns with prefix_default_language=False)."""
    return translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


def cache_key(request):
    parts = "|".join(
        (
            request.scheme,
            request.get_host(),
            language_of(request),
            request.path,
            normalised_query(request.META.get("QUERY_STRING", "")),
        )
    )
    return f"{KEY_PREFIX}:{hashlib.sha256(parts.encode()).hexdigest()}"


def is_html(response):
    return response.get("Content-Type", "").startswith("text/html")


def may_keep(request, response):
    """Whether this answer to an anonymous visitor may be served to every anonymous visitor."""
    if getattr(request, "_page_cache_families", None) is None:
        return False
    if response.status_code != 200 or response.streaming or not is_html(response) or response.cookies:
        return False
    if getattr(request, "is_preview", False):
        return False
    # The page holds this visitor's CSRF token (a form that posts): another visitor must not get it.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and messages.added_new:
        return False
    # A nonce is one answer's own (portal/core/csp.py uses none: this guards a future one).
    if getattr(request, "_csp_nonce", None) is not None:
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {header.strip().lower() for header in response.get("Vary", "").split(",") if header.strip()}
    return vary <= HARMLESS_VARY


def mark_public(response):
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PAGE_CACHE_BROWSER_SECONDS,
        s_maxage=settings.PAGE_CACHE_PROXY_SECONDS,
    )
    patch_vary_headers(response, ("Cookie", "Accept-Language"))


def mark_private(response):
    """An HTML answer that may be a person's own: no proxy keeps it (unless the view said more already)."""
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, private=True)
    if not has_vary_header(response, "Cookie"):
        patch_vary_headers(response, ("Cookie",))


# The process's own copies of the pages it served last, so that a hit reads no shared cache either: an entry
# is the same wherever it is kept, and is checked against the versions the same way.
LOCAL_ENTRIES = 256
_local = OrderedDict()
_local_lock = threading.Lock()
# Headers of an answer that are the transport's, not the page's: set again at each hit.
TRANSPORT_HEADERS = {"content-length", "content-encoding", HEADER.lower()}


def forget():
    """Drop this process's copies (the tests, whose rollbacks take versions back)."""
    with _local_lock:
        _local.clear()


def _local_get(key):
    with _local_lock:
        entry = _local.get(key)
        if entry is not None:
            _local.move_to_end(key)
    return entry


def _local_put(key, entry):
    with _local_lock:
        _local[key] = entry
        _local.move_to_end(key)
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)


def lookup(key):
    """The entry kept for `key`, from this process's copies or the shared cache, if not expired."""
    entry = _local_get(key)
    if entry is None:
        entry = cache.get(key)
        if entry is not None:
            _local_put(key, entry)
    if entry is not None and entry["expires"] <= time.time():
        return None
    return entry


def is_current(entry, versions):
    return all(versions.get(name) == seen for name, seen in entry["versions"].items())


def replay(request, entry):
    """The kept answer, headers included (those of the security, CSP and compression middleware, which ran
    when it was made and do not run for a hit)."""
    response = HttpResponse(status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response.content = entry["gzip"]
        response["Content-Encoding"] = "gzip"
    else:
        response.content = entry["body"]
    response["Content-Length"] = str(len(response.content))
    response[HEADER] = "hit"
    return response


def make_entry(response, versions):
    """What is kept of an answer: bytes and headers (not a pickled response), both plain and gzipped."""
    encoding = response.get("Content-Encoding", "")
    if encoding == "gzip":
        compressed, body = response.content, gzip.decompress(response.content)
    elif not encoding:
        body = response.content
        compressed = compress_string(body)
    else:
        return None
    headers = [(name, value) for name, value in response.items() if name.lower() not in TRANSPORT_HEADERS]
    return {
        "versions": versions,
        "expires": time.time() + settings.PAGE_CACHE_SECONDS,
        "status": response.status_code,
        "headers": headers,
        "body": body,
        "gzip": compressed,
    }


class PageCacheMiddleware:
    """The outermost middleware: a hit runs no other one (nor the session, locale, CSRF, authentication and
    messages middleware, nor the security, CSP and compression ones, whose headers were kept with the page)
    and, with Redis, makes no query. On the way out of a miss the others have done their work, so their
    cookies (a session, a CSRF token, a message) are seen, and the answer is then not kept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = cache_key(request) if may_look_up(request) else None
        entry = lookup(key) if key else None
        if entry is None and key and not serves_a_page(request):
            key = None
        if key is None:
            return self.bypass(request)

        # Read before the view: a page is never filed under versions newer than the data it was built from.
        versions = cache_versions.current_many(sorted(_names))
        if entry is not None and is_current(entry, versions):
            return replay(request, entry)

        response = self.get_response(request)
        if may_keep(request, response):
            names = request._page_cache_families
            kept = {name: versions.get(name) or cache_versions.current(name) for name in names}
            patch_vary_headers(response, ("Accept-Encoding",))
            mark_public(response)
            entry = make_entry(response, kept)
            if entry is not None:
                cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
                _local_put(key, entry)
            response[HEADER] = "miss"
        elif is_html(response):
            mark_private(response)
            response[HEADER] = "bypass"
        return response

    def bypass(self, request):
        response = self.get_response(request)
        if is_html(response):
            mark_private(response)
            response[HEADER] = "bypass"
        return response


# What bumps the versions ------------------------------------------------------------------------------------


def bump_all(names, using=None):
    for name in sorted(names):
        cache_versions.bump(name, using)


def _parent_class(page):
    if page.depth is None or page.depth <= 1:
        return None
    parent = page.get_parent()
    return parent.specific_class if parent is not None else None


def _shown_on_every_page(page):
    """The home, the menu's level below it, and the pages the site settings link from the footer."""
    if page.depth is not None and page.depth <= 3:
        return True
    links = [
        field.name
        for field in PortalSettings._meta.get_fields()
        if isinstance(field, ForeignKey) and issubclass(field.related_model, Page)
    ]
    if not links or page.pk is None:
        return False
    query = Q()
    for name in links:
        query |= Q(**{f"{name}_id": page.pk})
    return PortalSettings.objects.filter(query).exists()


def page_changed(page, using=None, structural=False):
    names = families_of(type(page))
    parent_class = _parent_class(page)
    if parent_class is not None:
        names |= families_of(parent_class)
    if structural or _shown_on_every_page(page):
        names.add(SITE)
    bump_all(names, using)


def _page_saved(sender, instance, using, update_fields=None, raw=False, **kwargs):
    if raw or not isinstance(instance, Page):
        return
    if update_fields is not None and set(update_fields) <= BOOKKEEPING_FIELDS:
        return
    if not instance.live and instance.first_published_at is None:
        return  # a draft never published (a member's contribution being written): nobody sees it
    page_changed(instance, using)


def _page_deleted(sender, instance, using, **kwargs):
    if isinstance(instance, Page):
        bump_all(families_of(type(instance)) | {SITE}, using)


def _page_unpublished(sender, instance, **kwargs):
    page_changed(instance, structural=True)


def _page_moved_or_renamed(sender, instance, **kwargs):
    # The page's address changes, and with it every link to it, wherever it is shown.
    bump_all({SITE})


MEMBER_PHOTO = re.compile(getattr(settings, "PRIVATE_MEDIA_NAME_PATTERN", r"(?!)"))
# Saves of an image or a document that only record what was measured from its file.
FILE_BOOKKEEPING_FIELDS = {"file_size", "file_hash"}
_photo_families = {SITE}


def photos_shown_by(*names):
    """Declare the families whose pages show members' photos (the tourism app does)."""
    _photo_families.clear()
    _photo_families.update(names)


def _file_changed(sender, instance, using, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= FILE_BOOKKEEPING_FIELDS:
        return
    name = getattr(getattr(instance, "file", None), "name", "") or ""
    if MEMBER_PHOTO.search(name.rsplit("/", 1)[-1]):
        bump_all(_photo_families, using)
    else:
        cache_versions.bump(SITE, using)


# weak=False and dispatch_uid: module-level receivers, connected once whatever imports this module first.
post_save.connect(_page_saved, weak=False, dispatch_uid="page-cache-page-saved")
post_delete.connect(_page_deleted, weak=False, dispatch_uid="page-cache-page-deleted")
page_unpublished.connect(_page_unpublished, weak=False, dispatch_uid="page-cache-page-unpublished")
post_page_move.connect(_page_moved_or_renamed, weak=False, dispatch_uid="page-cache-page-moved")
page_slug_changed.connect(_page_moved_or_renamed, weak=False, dispatch_uid="page-cache-page-renamed")
cache_versions.bump_on_change(
    SITE,
    models=(PortalSettings, Site, PageViewRestriction),
    relations=(PageViewRestriction.groups.through,),
)
for _model in (get_image_model(), get_document_model()):
    _label = _model._meta.label
    post_save.connect(_file_changed, sender=_model, weak=False, dispatch_uid=f"page-cache-file-{_label}")
    post_delete.connect(_file_changed, sender=_model, weak=False, dispatch_uid=f"page-cache-gone-{_label}")
