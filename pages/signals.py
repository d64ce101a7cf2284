from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .models import RubricPage
from .templatetags.pages_tags import forget_feeds


@receiver(page_published, sender=RubricPage)
@receiver(page_unpublished, sender=RubricPage)
@receiver(page_slug_changed, sender=RubricPage)
@receiver(post_save, sender=RubricPage)
@receiver(post_delete, sender=RubricPage)
def forget_feed_url(**kwargs):
    forget_feeds()


@receiver(post_page_move)
def forget_feed_url_on_move(**kwargs):
    # Moving any ancestor changes the rubric's URL too; moves are rare, so any move clears it.
    forget_feeds()


@receiver(post_save)
def forget_the_source_revision(sender, instance, update_fields=None, **kwargs):
    """A page alias keeps the French page's revision as its live one; when wagtail-localize turns it into a
    translation (it saves alias_of_id alone), the page has no revision of its own yet: it is then known as
    not translated (portal.core.translations.is_untranslated) until its translation is published."""
    if not isinstance(instance, Page) or update_fields is None or set(update_fields) != {"alias_of_id"}:
        return
    if instance.alias_of_id is None and instance.live_revision_id is not None:
        Page.objects.filter(pk=instance.pk).update(live_revision=None)
        instance.live_revision_id = None
