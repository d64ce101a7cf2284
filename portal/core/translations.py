"""Pages shown in a language other than French before they are translated (Wagtail's i18n: one page tree per
language, the other trees kept in step with the French one by wagtail-localize, pages/translation.py). What
any product's template needs to say so: the notice and the language of the content's parts."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils import translation

from wagtail.models import Locale, Page


def default_language():
    return settings.LANGUAGE_CODE


_locales = {}  # language code -> Locale id, for this process; emptied when a Locale changes


def locale_ids():
    """{language code: Locale id}: read once per process (locales change once in a site's life)."""
    if not _locales:
        _locales.update(Locale.objects.values_list("language_code", "pk"))
    return _locales


def forget_locales(**kwargs):
    _locales.clear()


post_save.connect(forget_locales, sender=Locale, weak=False, dispatch_uid="portal-locales-saved")
post_delete.connect(forget_locales, sender=Locale, weak=False, dispatch_uid="portal-locales-deleted")


def active_locale_id(request=None):
    """The id of the active language's Locale, None without one (no query but the process's first)."""
    return locale_ids().get(translation.get_language())


def localized(page):
    """`page` (a French page) in the active language: its live translation (Wagtail's `page.localized`),
    without a query in French or when the page is in that language already."""
    # The site's pages are written in French first (its root, the footer's pages): nothing to look up in it.
    if not isinstance(page, Page) or translation.get_language() == default_language():
        return page
    if page.locale_id == active_locale_id():
        return page
    return page.localized


def is_untranslated(page, request=None, locale_id=None):
    """Whether `page`, served in a language other than French, shows the French text: it is an alias of the
    French page (the locale synchronisation made it), a translation begun and never yet published, or the
    French page itself (no tree in that language). No query in French."""
    if not isinstance(page, Page) or page.depth is None or page.depth < 2:
        return False
    if translation.get_language() == default_language():
        return False
    if page.alias_of_id is not None or not page.live_revision_id:
        return True
    return page.locale_id != (locale_id or active_locale_id())


UNTRANSLATED_ATTRIBUTE = "_portal_untranslated"


def mark_untranslated(pages):
    """Mark each page of a listing shown untranslated, for the template (one query for the whole list)."""
    pages = list(pages)
    if translation.get_language() == default_language():
        for page in pages:
            setattr(page, UNTRANSLATED_ATTRIBUTE, False)
        return pages
    locale_id = active_locale_id()
    for page in pages:
        setattr(page, UNTRANSLATED_ATTRIBUTE, is_untranslated(page, locale_id=locale_id))
    return pages
