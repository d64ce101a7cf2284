from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "portal.funding"
    label = "funding"
    verbose_name = _("Co-financing calls for projects")
