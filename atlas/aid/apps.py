from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidConfig(AppConfig):
    name = "atlas.aid"
    label = "aid"
    verbose_name = _("Development aid declarations (e-APD)")

    def ready(self):
        # Here, once the models are loaded: the e-APD's rules for the organisation scope.
        from . import public, rules

        rules.register()
        # A declaration, a line or a window changed makes the cached Atlas panels stale (atlas/panels.py).
        public.watch_declarations()
