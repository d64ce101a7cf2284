"""The one way to address the Atlas and Bourse sub-pages (an authority, a project, a country, a partner, the
advanced search, a Bourse project).

Their addresses come from the pages' own routes (RoutablePageMixin.reverse_subpage) under the page's
address in the active language (French without prefix, English under /en/), never from strings glued by
hand: renaming a route or moving the page then moves every link. The live page is looked up once per request
and kept on it, so a list of a hundred links costs no query more than one link. Templates use the tags of
atlas/templatetags/atlas_urls.py, which call this module.
"""

# A link template for scripts: `atlas_url("partner", PLACEHOLDER)` gives ".../partenaires/{}/", where the map
# script puts each marker's id or slug.
PLACEHOLDER = "{}"
# Reversed in place of the placeholder (a route's converter refuses "{}"): digits suit <int:> and <slug:>.
_SENTINEL = "9081726354"
_CACHE_ATTRIBUTE = "_atlas_live_pages"


def _cache(request):
    if request is None:
        return {}
    cache = getattr(request, _CACHE_ATTRIBUTE, None)
    if cache is None:
        cache = {}
        setattr(request, _CACHE_ATTRIBUTE, cache)
    return cache


def remember_live_page(request, page):
    """Called by a routable page serving a request: its own templates then address it without a query."""
    if request is not None and page.live:
        _cache(request)[type(page)._meta.label] = page


def live_page(model, request=None):
    """The live page of `model` (there is at most one of each), once per request; None when there is none."""
    cache = _cache(request)
    key = model._meta.label
    if key not in cache:
        cache[key] = model.objects.live().first()
    return cache[key]


def live_atlas(request=None):
    from .models import AtlasPage

    return live_page(AtlasPage, request)


def live_bourse(request=None):
    from .models import BoursePage

    return live_page(BoursePage, request)


def subpage_url(page, name, *args, request=None):
    """The address of `page`'s route `name` with `args` ("" without a page or when the page has no address).

    An argument equal to PLACEHOLDER stays "{}" in the result, for scripts to fill in.
    """
    if page is None:
        return ""
    base = page.get_url(request)
    if not base:
        return ""
    routed = page.reverse_subpage(name, args=[_SENTINEL if arg == PLACEHOLDER else arg for arg in args])
    if not base.endswith("/"):
        base += "/"
    return (base + routed).replace(_SENTINEL, PLACEHOLDER)


def atlas_url(name, *args, request=None):
    """The address of an Atlas route: atlas_url("authority", slug), atlas_url("search"), ..."""
    return subpage_url(live_atlas(request), name, *args, request=request)


def bourse_url(name, *args, request=None):
    """The address of a Bourse route: bourse_url("projects"), bourse_url("project", pk)."""
    return subpage_url(live_bourse(request), name, *args, request=request)
