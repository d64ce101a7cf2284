from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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
