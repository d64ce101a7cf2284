"""What the organisation scope (portal.accounts.scope) allows on the Atlas records, registered in
AtlasConfig.ready().

Authority agents edit their own Authority's records; embassy agents the cooperations, projects and partners
whose partner is in their countries; Délégation administrators everything (the scope allows them before
asking these rules). The functions at the end give the choice lists of the Atlas forms.
"""

from django.db.models import Q

from portal.accounts.scope import PublicRules, ScopeRules, register_rules

from .models import (
    Authority,
    Contact,
    Cooperation,
    Country,
    Network,
    PartnerAuthority,
    Project,
    Theme,
)


class AuthorityRules(ScopeRules):
    def editable(self, scope, manager):
        return manager.filter(pk__in=scope.authority_ids)

    def choosable(self, scope, manager):
        # Page writers link any authority; agents choose those their cooperations may point to.
        return manager.all() if scope.edits_pages else authorities_for_ties(scope)


class ContactRules(ScopeRules):
    def editable(self, scope, manager):
        return manager.filter(authority_id__in=scope.authority_ids)

    def may_add(self, scope):
        return bool(scope.authority_ids)

    def admits(self, scope, instance):
        return instance.authority_id in scope.authority_ids


class CooperationRules(ScopeRules):
    def editable(self, scope, manager):
        return manager.filter(
            Q(authority_id__in=scope.authority_ids) | Q(partner__country_id__in=scope.country_ids)
        )

    def may_add(self, scope):
        return bool(scope.authority_ids or scope.country_ids)

    def admits(self, scope, instance):
        # An embassy records the ties of any French authority, with its own countries' partners only.
        return instance.authority_id in scope.authority_ids or (
            instance.partner_id is not None and instance.partner.country_id in scope.country_ids
        )


class ProjectRules(CooperationRules):
    def editable(self, scope, manager):
        return manager.filter(
            Q(cooperation__authority_id__in=scope.authority_ids)
            | Q(cooperation__partner__country_id__in=scope.country_ids)
        )

    def admits(self, scope, instance):
        return instance.cooperation_id is not None and super().admits(scope, instance.cooperation)

    def choosable(self, scope, manager):
        return manager.all() if scope.edits_pages else self.editable(scope, manager)


class PartnerRules(ScopeRules):
    def editable(self, scope, manager):
        return manager.filter(country_id__in=scope.country_ids)

    def may_add(self, scope):
        return bool(scope.authority_ids or scope.country_ids)

    def admits(self, scope, instance):
        # Authority agents add partners anywhere but edit none afterwards (they are the embassy's).
        return instance.country_id in scope.country_ids or (
            instance._state.adding and bool(scope.authority_ids)
        )

    def choosable(self, scope, manager):
        return partners_for_new_ties(scope)


class CountryRules(ScopeRules):
    def choosable(self, scope, manager):
        return manager.all() if scope.edits_pages else countries_for_partners(scope)


def register():
    register_rules(Authority, AuthorityRules())
    register_rules(Contact, ContactRules())
    register_rules(Cooperation, CooperationRules())
    register_rules(Project, ProjectRules())
    register_rules(PartnerAuthority, PartnerRules())
    register_rules(Country, CountryRules())
    register_rules(Theme, PublicRules())
    register_rules(Network, PublicRules())


def authorities(scope):
    """The authorities the user answers for (their records, their confirmations)."""
    return (
        Authority.objects.all()
        if scope.is_delegation
        else Authority.objects.filter(pk__in=scope.authority_ids)
    )


def authorities_for_ties(scope):
    """French authorities a cooperation may point to: an embassy records the ties of any French authority
    with its countries' partners (`admits` then requires the partner to be in its countries)."""
    if scope.is_delegation or scope.country_ids:
        return Authority.objects.all()
    return Authority.objects.filter(pk__in=scope.authority_ids)


def partners_for_new_ties(scope):
    """Partners a cooperation may point to: any for authority agents, their countries' for embassies."""
    if scope.is_delegation or scope.authority_ids:
        return PartnerAuthority.objects.all()
    return PartnerAuthority.objects.filter(country_id__in=scope.country_ids)


def countries_for_partners(scope):
    """Countries a partner authority may be created in: any for authority agents (their partners are
    everywhere), their own countries for embassies."""
    if scope.is_delegation or scope.authority_ids:
        return Country.objects.all()
    return Country.objects.filter(pk__in=scope.country_ids)
