from django import template
from django.core.cache import cache

from portal.core.subpages import subpage_url

register = template.Library()

FEED_CACHE_KEY = "pages:rubric-feed"


@register.simple_tag(takes_context=True)
def rubric_feed(context):
    """(url, title) of the rubric's feed for the <head> of every page, cached so that pages pay no query.

    The cache is cleared when a rubric is published, unpublished, moved or deleted (see pages.signals).
    """
    cached = cache.get(FEED_CACHE_KEY)
    if cached is None:
        from pages.models import RubricPage

        rubric = RubricPage.objects.live().only("title", "url_path", "path", "depth").first()

        url = subpage_url(rubric, "feed", request=context.get("request"))
        cached = (url, rubric.title) if url else ("", "")
        cache.set(FEED_CACHE_KEY, cached, 3600)
    return cached
