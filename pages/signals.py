from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .models import RubricPage
from .templatetags.pages_tags import FEED_CACHE_KEY


@receiver(page_published, sender=RubricPage)
@receiver(page_unpublished, sender=RubricPage)
@receiver(page_slug_changed, sender=RubricPage)
@receiver(post_save, sender=RubricPage)
@receiver(post_delete, sender=RubricPage)
def forget_feed_url(**kwargs):
    cache.delete(FEED_CACHE_KEY)


@receiver(post_page_move)
def forget_feed_url_on_move(**kwargs):
    # Moving any ancestor changes the rubric's URL too; moves are rare, so any move clears it.
    cache.delete(FEED_CACHE_KEY)
