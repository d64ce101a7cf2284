from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The versions of what tourism pages show (portal/core/cache_versions.py, portal/core/page_cache.py): the
# experiences, resources, events and themes; the comments, apart, as only an experience's own page shows them.
TOURISM = "tourism"
TOURISM_COMMENTS = "tourism-comments"


class TourismConfig(AppConfig):
    name = "tourism"
    verbose_name = _("Responsible tourism")

    def ready(self):
        from portal.accounts.scope import PublicRules, register_rules

        from .models import TourismTheme
        from .moderation import connect_notifiers

        connect_notifiers()
        # Tourism themes are reference data: every page writer chooses them.
        register_rules(TourismTheme, PublicRules())

        from atlas.models import AtlasPage
        from atlas.queries import ATLAS
        from portal.core import cache_versions, page_cache

        from .models import ExperienceComment, ExperiencePage, TourismHomePage
        from .models.pages import TourismIndexPage, TourismPage

        # A tourism page shows tourism pages and themes, and the Atlas authorities and projects they name; an
        # experience its comments too; an Atlas authority's page the experiences naming it (a hook).
        cache_versions.bump_on_change(TOURISM, models=(TourismTheme,))
        cache_versions.bump_on_change(TOURISM_COMMENTS, models=(ExperienceComment,))
        for model in (TourismHomePage, TourismIndexPage, TourismPage):
            page_cache.depends_on(model, TOURISM, ATLAS)
        page_cache.depends_on(ExperiencePage, TOURISM_COMMENTS)
        page_cache.depends_on(AtlasPage, TOURISM)
        page_cache.photos_shown_by(TOURISM)
