from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from portal.core.subpages import live_page, subpage_url

register = template.Library()

FEED_CACHE_KEY = "pages:rubric-feed"


def feed_cache_key(language=None):
    """One entry per language: the English pages link the English rubric's feed."""
    return f"{FEED_CACHE_KEY}:{language or translation.get_language()}"


def forget_feeds():
    cache.delete_many([feed_cache_key(code) for code, _name in settings.LANGUAGES])


@register.simple_tag(takes_context=True)
def rubric_feed(context):
    """(url, title) of the rubric's feed for the <head> of every page, cached so that pages pay no query.

    The cache is cleared when a rubric is published, unpublished, moved or deleted (see pages.signals).
    """
    key = feed_cache_key()
    cached = cache.get(key)
    if cached is None:
        from pages.models import RubricPage

        rubric = live_page(RubricPage)
        url = subpage_url(rubric, "feed", request=context.get("request"))
        cached = (url, rubric.title) if url else ("", "")
        cache.set(key, cached, 3600)
    return cached
