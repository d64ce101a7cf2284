from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BourseConfig(AppConfig):
    name = "atlas.bourse"
    label = "bourse"
    verbose_name = _("Bourse-projets")

    def ready(self):
        # Here, once the models are loaded: the Bourse projects' rules for the organisation scope.
        from . import rules

        rules.register()
