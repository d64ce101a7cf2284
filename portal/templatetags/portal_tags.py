from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import translate_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page, Site

from portal.core import translations
from portal.core.pages import describe, page_description
from portal.core.route_cache import MENU_ATTRIBUTE, ancestors, menu_pages, remembered
from portal.core.translations import UNTRANSLATED_ATTRIBUTE, is_untranslated

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


_LANGUAGE_LINKS_ATTRIBUTE = "_portal_language_links"


def _page_translations(page, request):
    """{language code: address} of a Wagtail page's live translations (aliases included), with the rest of
    the address kept (a routable page's sub-page, the query): one query."""
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False) or not isinstance(page, Page):
        return {}
    base = page.get_url(request) or ""
    path = request.path
    if not base or not path.startswith(base):
        return {}
    rest = path[len(base) :]
    query = request.META.get("QUERY_STRING", "")

    def addresses():
        translations = page.get_translations(inclusive=True).live().select_related("locale")
        return {other.locale.language_code: other.get_url(request) for other in translations}

    found = remembered(request, ("translations", page.pk), addresses)
    return {code: url + rest + (f"?{query}" if query else "") for code, url in found.items() if url}


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in each language: a Wagtail page's translation (its own address, a slug translated
    or not), else the same address in the other language (Django's translate_url). Once per request."""
    request = context["request"]
    kept = getattr(request, _LANGUAGE_LINKS_ATTRIBUTE, None)
    if kept is not None:
        return kept
    try:
        request.get_host()
    except DisallowedHost:
        # The 400 page answering a request to a host this portal does not serve: no address of its own.
        return []
    addresses = _page_translations(context.get("page"), request)
    links = []
    for code, _name in settings.LANGUAGES:
        url = addresses.get(code) or translate_url(request.get_full_path(), code)
        links.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": url,
                "absolute_url": request.build_absolute_uri(url),
            }
        )
    setattr(request, _LANGUAGE_LINKS_ATTRIBUTE, links)
    return links


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


# The site settings are written in French. In another language their default texts are shown translated by
# the catalogue (gettext); a text the editors changed is shown as they wrote it (its translation is unknown).
SITE_TEXTS = {
    "site_title": _("Decentralised cooperation"),
    "site_tagline": _("The international action of French local authorities"),
    "footer_description": _("Portal of the Delegation for the external action of local authorities (DAECT)."),
}


@register.simple_tag
def site_text(portal, name):
    """A text of the site settings (`name` of SITE_TEXTS) in the active language."""
    value = getattr(portal, name, "")
    if translation.get_language() == settings.LANGUAGE_CODE or name not in SITE_TEXTS:
        return value
    if value == type(portal)._meta.get_field(name).get_default():
        return SITE_TEXTS[name]
    return value


@register.filter
def localized(page):
    """The page's live translation in the active language (the footer's links); the page itself in French or
    when it has none. No query in French."""
    if not isinstance(page, Page):  # no settings (the error pages' context): nothing to localise
        return page
    return translations.localized(page)


def _page_of(context):
    page = context.get("page")
    return page if isinstance(page, Page) else None


@register.simple_tag(takes_context=True)
def content_lang(context):
    """` lang="fr"` on the wrapper of a page's own content when it is shown untranslated (the language of
    parts, for screen readers and translation tools); nothing otherwise."""
    page = _page_of(context)
    if page is not None and is_untranslated(page, context.get("request")):
        return format_html(' lang="{}"', settings.LANGUAGE_CODE)
    return ""


@register.simple_tag(takes_context=True)
def shows_untranslated_page(context):
    """Whether the served page itself (not a routable page's sub-page, whose text is the interface's and the
    records') is shown untranslated: the notice says so."""
    page = _page_of(context)
    request = context.get("request")
    match = getattr(request, "routable_resolver_match", None)
    if page is None or (match is not None and match.route not in ("", "^$")):
        return False
    return is_untranslated(page, request)


@register.filter
def untranslated(page):
    """The language of `page`'s text ("fr") when it is listed untranslated in another language (the rubric's
    cards mark it), "" otherwise."""
    marked = getattr(page, UNTRANSLATED_ATTRIBUTE, None)
    return settings.LANGUAGE_CODE if (is_untranslated(page) if marked is None else marked) else ""
