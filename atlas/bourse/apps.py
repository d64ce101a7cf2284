from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BourseConfig(AppConfig):
    name = "atlas.bourse"
    label = "bourse"
    verbose_name = _("Bourse-projets")
