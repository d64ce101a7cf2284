from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TourismConfig(AppConfig):
    name = "tourism"
    verbose_name = _("Responsible tourism")

    def ready(self):
        from .moderation import connect_notifiers

        connect_notifiers()
