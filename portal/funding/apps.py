from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The version of the calls the public pages show (portal/core/cache_versions.py).
FUNDING = "funding"


class FundingConfig(AppConfig):
    name = "portal.funding"
    label = "funding"
    verbose_name = _("Co-financing calls for projects")

    def ready(self):
        # Here, once the models are loaded: the rules of calls, dossiers and their instruction for the scope
        # (the admin views and hooks are wagtail_hooks.py's).
        from . import instruction, rules

        rules.register()
        instruction.register_instruction_rules()

        from atlas.queries import ATLAS
        from portal.core import cache_versions, page_cache

        from .models import Call, CallIndexPage, CallPage

        # The calls' pages show their call (dates, eligible countries and themes: Atlas records), for the
        # anonymous page cache (portal/core/page_cache.py).
        cache_versions.bump_on_change(
            FUNDING,
            models=(Call,),
            relations=(Call.eligible_countries.through, Call.eligible_themes.through),
        )
        for model in (CallIndexPage, CallPage):
            page_cache.depends_on(model, page_cache.PAGES, FUNDING, ATLAS)
