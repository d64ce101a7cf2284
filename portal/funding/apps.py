from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "portal.funding"
    label = "funding"
    verbose_name = _("Co-financing calls for projects")

    def ready(self):
        # Here, once the models are loaded: the instruction's rules for the scope, its admin views and hooks.
        from . import instruction, instruction_hooks  # noqa: F401

        instruction.register_instruction_rules()
