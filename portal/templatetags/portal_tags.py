from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import translate_url
from django.utils.translation import get_language_info

from wagtail.models import Site

from portal.core.pages import describe, page_description
from portal.core.route_cache import MENU_ATTRIBUTE, ancestors, menu_pages

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The site root's published children marked "show in menus", fetched once per request."""
    request = context.get("request")
    if request is None:
        return []
    # A Wagtail page's request has it already (portal/core/route_cache.py).
    if not hasattr(request, MENU_ATTRIBUTE):
        setattr(request, MENU_ATTRIBUTE, menu_pages(Site.find_for_request(request)))
    return getattr(request, MENU_ATTRIBUTE)


@register.simple_tag(takes_context=True)
def breadcrumb_data(context, page=None, current=None, extra=None):
    """DSFR breadcrumb data: the page's ancestors below the home page, then the current title.

    `extra` lists (url, title) pairs between the page and the current title, for routable sub-pages.
    """
    links = []
    if page is not None:
        links = [{"url": ancestor.url, "title": ancestor.title} for ancestor in ancestors(page)]
        if extra or current:
            links.append({"url": page.url, "title": page.title})
    for url, title in extra or []:
        links.append({"url": url, "title": title})
    return {"links": links, "current": current or (page.title if page else "")}


@register.simple_tag(takes_context=True)
def language_links(context):
    request = context["request"]
    return [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": translate_url(request.get_full_path(), code),
        }
        for code, _name in settings.LANGUAGES
    ]


@register.filter
def splitlines(value):
    return str(value).splitlines()


@register.filter
def thousands(value):
    """12476 -> "12 476" with a narrow no-break space, as French typography wants."""
    try:
        return f"{int(value):,}".replace(",", "\u202f")
    except (TypeError, ValueError):
        return value


@register.simple_tag(takes_context=True)
def meta_description(context):
    """The page's meta description: the view's own (`meta_description`, built from the data an Atlas or
    Bourse sub-page shows), else the Wagtail page's (portal.core.pages.page_description)."""
    own = context.get("meta_description")
    if own:
        return describe(own)
    return page_description(context.get("page"))


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's address without its query (filters, sorting, tracking), a list's page number kept."""
    request = context.get("request")
    if request is None:
        return ""
    try:
        url = request.build_absolute_uri(request.path)
    except DisallowedHost:
        # The 400 page answering a request to a host this portal does not serve: it has no address of its own.
        return ""
    number = request.GET.get("page", "")
    return f"{url}?page={number}" if number.isdigit() and number != "1" else url
