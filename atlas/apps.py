from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AtlasConfig(AppConfig):
    name = "atlas"
    verbose_name = _("Atlas of decentralised cooperation")

    def ready(self):
        # Connects the signals that bump the Atlas version on every change of a record, in every process
        # (commands and task workers too, which never load the views that import it).
        from . import queries, scope_rules  # noqa: F401 - importing queries connects its signals

        # The organisation scope (portal.accounts.scope) learns what the Atlas records allow.
        scope_rules.register()
