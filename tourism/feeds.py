"""The RSS feed of the experiences: the latest live ones of the index, newest first."""

from django.utils.translation import gettext_lazy as _

from portal.core.feeds import FEED_LENGTH, PageListFeed


class ExperienceFeed(PageListFeed):
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

    def item_description(self, item):
        return item.search_description or item.summary

    def item_categories(self, item):
        return [theme.name for theme in item.theme_list] + ([item.country.name] if item.country_id else [])
