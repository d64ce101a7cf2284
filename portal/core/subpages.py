"""The one way to address a routable page's sub-pages (the Atlas's authority, project, country and partner
pages, a Bourse project, a tourism listing…): from the page's own routes (RoutablePageMixin.reverse_subpage)
under the page's address in the active language (French without prefix, English under /en/), never from
strings glued by hand. The live page of a type is looked up once per request and kept on it, so a list of a
hundred links costs no query more than one link. atlas.urls_helper builds the Atlas's on it,
atlas.bourse.links the Bourse's.
"""

from django.apps import apps

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


def live_page_of(label, request=None):
    """The live page of the model named `label` ("atlas.AtlasPage"): how a lower app (the personal space)
    links a product's pages by name, as a ForeignKey names a model, without importing the product."""
    return live_page(apps.get_model(label), request)


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
