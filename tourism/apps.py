from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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
