"""What the organisation scope (portal.accounts.scope) allows on the Bourse projects, registered in
BourseConfig.ready(): an embassy's agents edit and add the projects of their countries; published projects
are anyone's to choose; the Délégation is allowed everything before these rules are asked."""

from django.db.models import Q

from portal.accounts.scope import ScopeRules, register_rules

from .models import BourseContactRequest, BourseProject


class BourseProjectRules(ScopeRules):
    def editable(self, scope, manager):
        return manager.filter(country_id__in=scope.country_ids)

    def may_add(self, scope):
        return bool(scope.country_ids)

    def admits(self, scope, instance):
        return instance.partner_id is not None and instance.partner.country_id in scope.country_ids

    def choosable(self, scope, manager):
        # Published projects are public; drafts are their embassy's and the Délégation's.
        return manager.filter(Q(live=True) | Q(pk__in=self.editable(scope, manager).values("pk")))


class BourseContactRequestRules(ScopeRules):
    """Visitors' requests are read by the embassy of the project's country (and the Délégation); nobody adds
    one in the admin (the public form does), and an embassy changes none: they are what the visitor wrote."""

    def visible(self, scope, manager):
        return manager.filter(project__country_id__in=scope.country_ids)

    def choosable(self, scope, manager):
        return self.visible(scope, manager)


def register():
    register_rules(BourseProject, BourseProjectRules())
    register_rules(BourseContactRequest, BourseContactRequestRules())
