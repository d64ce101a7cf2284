"""RSS feeds of page lists (the rubric's latest features, the latest tourism experiences)."""

from django.contrib.syndication.views import Feed

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
