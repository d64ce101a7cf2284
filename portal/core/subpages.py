"""The one way to address a routable page's sub-pages (the Atlas's authority, project, country and partner
pages, a Bourse project, a tourism listing…): from the page's own routes (RoutablePageMixin.reverse_subpage)
under the page's address in the active language (French without prefix, English under /en/), never from
strings glued by hand. The live page of a type is looked up once per request and kept on it, so a list of a
hundred links costs no query more than one link. atlas.urls_helper builds the Atlas's on it,
atlas.bourse.links the Bourse's.
"""

import re

from django.apps import apps
from django.conf import settings
from django.utils import translation

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
    """Called by a routable page serving a request: its own templates then address it without a query. The
    page served is the active language's (Wagtail routes /en/ addresses in the English tree)."""
    if request is not None and page.live:
        _cache(request)[(type(page)._meta.label, translation.get_language())] = page


def live_page(model, request=None):
    """The live page of `model` in the active language's tree (there is at most one per tree), else the French
    one, once per request; None when there is none. Its address is then in that language (/en/... in
    English): Wagtail gives a page the prefix of its tree's language."""
    cache = _cache(request)
    language = translation.get_language()
    key = (model._meta.label, language)
    if key not in cache:
        pages = model.objects.live()
        found = pages.filter(locale__language_code=language).first() if language else None
        if found is None and language != settings.LANGUAGE_CODE:
            found = pages.filter(locale__language_code=settings.LANGUAGE_CODE).first()
        cache[key] = found
    return cache[key]


def live_page_of(label, request=None):
    """The live page of the model named `label` ("atlas.AtlasPage"): how a lower app (the personal space)
    links a product's pages by name, as a ForeignKey names a model, without importing the product."""
    return live_page(apps.get_model(label), request)


# A route argument that reverse() writes as it is: matched by the route's converter, nothing to quote.
_PLAIN = re.compile(r"[-a-zA-Z0-9_]+")
_BASES_ATTRIBUTE = "_subpage_bases"
# (page class, route name) -> (text before, text after, converter) of a one-argument route, or None.
_templates = {}


def _base(page, request):
    """The page's address, once per request and language (a page of a hundred links asks Wagtail once)."""
    if request is None:
        return page.get_url(request)
    bases = getattr(request, _BASES_ATTRIBUTE, None)
    if bases is None:
        bases = {}
        setattr(request, _BASES_ATTRIBUTE, bases)
    key = (page.pk, translation.get_language())
    if key not in bases:
        bases[key] = page.get_url(request)
    return bases[key]


def _template(page, name):
    """What reverse_subpage(name, [arg]) writes around its one argument, and the argument's converter."""
    key = (type(page), name)
    if key not in _templates:
        _templates[key] = None
        candidates = page.get_resolver().reverse_dict.getlist(name)
        if len(candidates) == 1 and len(candidates[0][0]) == 1 and len(candidates[0][0][0][1]) == 1:
            converter = candidates[0][3].get(candidates[0][0][0][1][0])
            routed = page.reverse_subpage(name, args=[_SENTINEL])
            if converter is not None and routed.count(_SENTINEL) == 1:
                before, after = routed.split(_SENTINEL)
                _templates[key] = (before, after, converter)
    return _templates[key]


def _reverse(page, name, args):
    """reverse_subpage(name, args), without Django's reverse for the common one-argument route: the
    argument, written by the route's converter, matched by it and needing no quoting, is what reverse()
    would put in the route's text (a list of a hundred projects reverses once)."""
    if len(args) == 1:
        template = _template(page, name)
        if template is not None:
            before, after, converter = template
            try:
                text = str(converter.to_url(args[0]))
            except ValueError:
                text = None
            if text is not None and _PLAIN.fullmatch(text) and re.fullmatch(converter.regex, text):
                return before + text + after
    return page.reverse_subpage(name, args=args)


def subpage_url(page, name, *args, request=None):
    """The address of `page`'s route `name` with `args` ("" without a page or when the page has no address).

    An argument equal to PLACEHOLDER stays "{}" in the result, for scripts to fill in.
    """
    if page is None:
        return ""
    base = _base(page, request)
    if not base:
        return ""
    routed = _reverse(page, name, [_SENTINEL if arg == PLACEHOLDER else arg for arg in args])
    if not base.endswith("/"):
        base += "/"
    return (base + routed).replace(_SENTINEL, PLACEHOLDER)
