"""The sitemap of every language's page tree (Wagtail's own lists the French tree only)."""

from django.conf import settings
from django.db.models import Q

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class LocalizedSitemap(Sitemap):
    """Every live public page of the site's trees; a page of another language than French only once it is
    translated (an untranslated alias repeats the French page's text under another address)."""

    def items(self):
        root = self.get_wagtail_site().root_page
        trees = Q()
        for home in root.get_translations(inclusive=True).only("path"):
            trees |= Q(path__startswith=home.path)
        return (
            Page.objects.filter(trees)
            .live()
            .public()
            .exclude(Q(alias_of__isnull=False) & ~Q(locale__language_code=settings.LANGUAGE_CODE))
            .order_by("locale__language_code", "path")
            .defer_streamfields()
            .specific()
        )
