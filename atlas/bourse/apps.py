from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The version of what the Bourse's public pages show (portal/core/cache_versions.py).
BOURSE = "bourse"


class BourseConfig(AppConfig):
    name = "atlas.bourse"
    label = "bourse"
    verbose_name = _("Bourse-projets")

    def ready(self):
        # Here, once the models are loaded: the Bourse projects' rules for the organisation scope.
        from . import rules

        rules.register()

        from atlas.queries import ATLAS
        from portal.core import cache_versions, page_cache

        from .models import BourseInterest, BoursePage, BourseProject

        # The Bourse's pages show its projects (a decision, an interest counted) and their Atlas partners;
        # every change of a project bumps the Bourse's version, which empties those pages only
        # (portal/core/page_cache.py).
        cache_versions.bump_on_change(
            BOURSE, models=(BourseProject, BourseInterest), relations=(BourseProject.themes.through,)
        )
        page_cache.depends_on(BoursePage, BOURSE, ATLAS)
