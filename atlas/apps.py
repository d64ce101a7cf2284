from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AtlasConfig(AppConfig):
    name = "atlas"
    verbose_name = _("Atlas of decentralised cooperation")

    def ready(self):
        # Connects the signals that bump the Atlas version on every change of a record, in every process
        # (commands and task workers too, which never load the views that import it).
        from . import queries, scope_rules  # importing queries connects its signals

        # The organisation scope (portal.accounts.scope) learns what the Atlas records allow.
        scope_rules.register()

        from portal.core import page_cache

        from .models import AtlasPage

        # The Atlas page and its routes show Atlas records (for the page cache, portal/core/page_cache.py).
        page_cache.depends_on(AtlasPage, queries.ATLAS)
