"""RSS feeds of page lists: the rubric's latest features, and (tourism.feeds) the latest experiences."""

from django.contrib.syndication.views import Feed
from django.utils.translation import gettext_lazy as _

FEED_LENGTH = 20


class PageListFeed(Feed):
    """The feed of a list page (`parent`): its title and address; items are pages, newest first."""

    def get_object(self, request, parent):
        self.request = request
        return parent

    def title(self, parent):
        return parent.title

    def link(self, parent):
        return parent.get_url(self.request)

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at


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
