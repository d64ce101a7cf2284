"""The RSS feed of the rubric's latest features."""

from django.utils.translation import gettext_lazy as _

from portal.core.feeds import FEED_LENGTH, PageListFeed


class RubricFeed(PageListFeed):
    def description(self, rubric):
        return rubric.intro or _("The monthly features of decentralised cooperation.")

    def items(self, rubric):
        from .models import feature_cards, feature_pages

        ids = feature_pages(rubric).order_by("-first_published_at").values_list("pk", flat=True)[:FEED_LENGTH]
        return feature_cards(ids)

    def item_description(self, item):
        return item.search_description or item.intro

    def item_categories(self, item):
        return [str(item.kind_label)] + ([item.country.name] if item.country_id else [])
