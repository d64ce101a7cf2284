"""What the organisation scope (portal.accounts.scope) allows on calls and dossiers, registered in
FundingConfig.ready().

A dossier belongs to its organisation: every approved agent of it sees the dossier always and edits it
while it is a draft or a correction is requested. The Délégation does everything (the scope allows it
before asking these rules). Reviewers (embassies, prefectures, ministries, operators) read the dossiers
they are asked about: that is `reviewable()`, filled in by the instruction side.
"""

from django.db.models import Q

from portal.accounts.scope import ScopeRules, register_rules

from .instruction import reviewable_applications
from .models import (
    Application,
    ApplicationEvent,
    Attachment,
    BudgetLine,
    Call,
    ForeignPartner,
    FrenchPartner,
)


class CallRules(ScopeRules):
    """Calls are public once they exist (their pages show them); only the Délégation makes and edits them."""

    def choosable(self, scope, manager):
        return manager.all()


class ApplicationRules(ScopeRules):
    def editable(self, scope, manager):
        return manager.filter(
            organisation_id__in=scope.organisation_ids, state__in=Application.EDITABLE_STATES
        )

    def reviewable(self, scope, manager):
        """The dossiers a reviewer reads (read-only): every filed dossier of the calls it is asked an opinion
        about (instruction.reviewable_applications)."""
        return reviewable_applications(scope.user)

    def visible(self, scope, manager):
        own = Q(organisation_id__in=scope.organisation_ids)
        return manager.filter(own | Q(pk__in=self.reviewable(scope, manager).values("pk")))

    def may_add(self, scope):
        # Dossiers are filed by local authorities, through their organisation.
        return bool(scope.authority_ids)

    def admits(self, scope, instance):
        return (
            instance.organisation_id in scope.organisation_ids
            and instance.organisation.authority_id in scope.authority_ids
            and instance.state in Application.EDITABLE_STATES
        )


class DossierPartRules(ScopeRules):
    """The parts of a dossier (budget lines, partners, attachments, history) follow their dossier."""

    def editable(self, scope, manager):
        return manager.filter(application__in=APPLICATION_RULES.editable(scope, Application.objects.all()))

    def visible(self, scope, manager):
        return manager.filter(application__in=APPLICATION_RULES.visible(scope, Application.objects.all()))


APPLICATION_RULES = ApplicationRules()


def register():
    register_rules(Call, CallRules())
    register_rules(Application, APPLICATION_RULES)
    for model in (BudgetLine, FrenchPartner, ForeignPartner, Attachment, ApplicationEvent):
        register_rules(model, DossierPartRules())
