"""The rubric's RSS feed: the latest features, newest first."""

from django.contrib.syndication.views import Feed
from django.utils.translation import gettext_lazy as _

FEED_LENGTH = 20


class RubricFeed(Feed):
    def get_object(self, request, rubric):
        self.request = request
        return rubric

    def title(self, rubric):
        return rubric.title

    def link(self, rubric):
        return rubric.get_url(self.request)

    def description(self, rubric):
        return rubric.intro or _("The monthly features of decentralised cooperation.")

    def items(self, rubric):
        from .models import feature_cards, feature_pages

        ids = feature_pages(rubric).order_by("-first_published_at").values_list("pk", flat=True)[:FEED_LENGTH]
        return feature_cards(ids)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.search_description or item.intro

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [str(item.kind_label)] + ([item.country.name] if item.country_id else [])
