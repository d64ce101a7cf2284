"""The RSS feed of the experiences: the latest live ones of the index, newest first."""

from django.contrib.syndication.views import Feed
from django.utils.translation import gettext_lazy as _

FEED_LENGTH = 20


class ExperienceFeed(Feed):
    def get_object(self, request, index):
        self.request = request
        return index

    def title(self, index):
        return index.title

    def link(self, index):
        return index.get_url(self.request)

    def description(self, index):
        return index.intro or _("The responsible-tourism experiences shared by the platform's members.")

    def items(self, index):
        from .listing import themes_prefetch, visible
        from .models import ExperiencePage

        return (
            visible(ExperiencePage)
            .child_of(index)
            .select_related("country")
            .prefetch_related(themes_prefetch())
            .order_by("-first_published_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.search_description or item.summary

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [theme.name for theme in item.theme_list] + ([item.country.name] if item.country_id else [])
