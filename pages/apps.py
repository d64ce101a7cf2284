from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Editorial pages")

    def ready(self):
        from atlas.queries import ATLAS
        from portal.core import page_cache
        from tourism.apps import TOURISM

        from . import signals  # noqa: F401
        from .models import (
            CallsIndexPage,
            ContactPage,
            CountryZoomPage,
            FeaturePage,
            GoodPracticePage,
            HomePage,
            RubricPage,
            StandardPage,
        )

        # What each page shows, for the anonymous page cache (portal/core/page_cache.py): editorial pages;
        # the home also the Atlas's figures and the latest experiences; country zooms and good practices
        # Atlas records.
        for model in (HomePage, StandardPage, RubricPage, CallsIndexPage, FeaturePage, ContactPage):
            page_cache.depends_on(model, page_cache.PAGES)
        page_cache.depends_on(HomePage, ATLAS, TOURISM)
        page_cache.depends_on(CountryZoomPage, ATLAS)
        page_cache.depends_on(GoodPracticePage, ATLAS)
