from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "atlas.campaigns"
    label = "campaigns"
    verbose_name = _("Atlas update campaigns")

    def ready(self):
        from django_tasks.signals import task_finished

        from atlas.queries import ATLAS
        from portal.accounts.scope import ScopeRules, register_rules
        from portal.core import cache_versions

        from .models import CampaignReminder, CampaignSending, UpdateCampaign
        from .rules import CampaignRules, ReminderRules
        from .services import record_delivery

        register_rules(UpdateCampaign, CampaignRules())
        # Sendings are the Délégation's alone: the default rules allow nobody else.
        register_rules(CampaignSending, ScopeRules())
        register_rules(CampaignReminder, ReminderRules())
        # The mailer's verdict on each campaign e-mail, in whichever process ran its task.
        task_finished.connect(record_delivery, dispatch_uid="campaigns-record-delivery")
        # A campaign opened, moved or closed changes the Atlas pages' panels (atlas/panels.py), cached per
        # Atlas version.
        cache_versions.bump_on_change(ATLAS, models=(UpdateCampaign,))
