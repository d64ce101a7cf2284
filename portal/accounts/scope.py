"""Which Atlas records a user may edit: the organisation rule of DESIGN.md, in one place.

Authority agents edit their own Authority's records; embassy agents the cooperations, projects and partners
whose partner is in their countries; Délégation administrators everything. The admin's permission policies,
listings, choosers and object URLs all ask this module, so the rule cannot differ between them.
"""

from django.db.models import Q
from django.utils.functional import cached_property

from atlas.models import (
    AidDeclaration,
    Authority,
    BourseProject,
    Contact,
    Cooperation,
    Country,
    Network,
    PartnerAuthority,
    Project,
    Theme,
)

DELEGATION_GROUP = "Administrateurs de la Délégation"


class Scope:
    def __init__(self, user):
        from .models import Membership, Organisation

        self.user = user
        self.is_delegation = bool(
            user.is_authenticated
            and user.is_active
            and (user.is_superuser or user.groups.filter(name=DELEGATION_GROUP).exists())
        )
        memberships = (
            Membership.objects.approved().filter(user=user).select_related("organisation")
            if user.is_authenticated and user.is_active
            else Membership.objects.none()
        )
        organisations = [m.organisation for m in memberships]
        self.authority_ids = {
            o.authority_id for o in organisations if o.kind == Organisation.Kind.LOCAL_AUTHORITY
        }
        embassy_ids = [o.pk for o in organisations if o.kind == Organisation.Kind.EMBASSY]
        self.country_ids = (
            set(
                Organisation.countries.through.objects.filter(organisation_id__in=embassy_ids).values_list(
                    "country_id", flat=True
                )
            )
            if embassy_ids
            else set()
        )

    @property
    def is_agent(self):
        return self.is_delegation or bool(self.authority_ids or self.country_ids)

    def editable(self, model):
        """The instances of an Atlas model this user may change or delete."""
        manager = model._default_manager
        if self.is_delegation:
            return manager.all()
        by_authority, by_country = self.authority_ids, self.country_ids
        if model is Authority:
            return manager.filter(pk__in=by_authority)
        if model is Contact:
            return manager.filter(authority_id__in=by_authority)
        if model is Cooperation:
            return manager.filter(Q(authority_id__in=by_authority) | Q(partner__country_id__in=by_country))
        if model is Project:
            return manager.filter(
                Q(cooperation__authority_id__in=by_authority)
                | Q(cooperation__partner__country_id__in=by_country)
            )
        if model in (PartnerAuthority, BourseProject):
            return manager.filter(country_id__in=by_country)
        return manager.none()

    def visible(self, model):
        """What the user may see in the admin: what they may change, plus their authority's development aid,
        which stays read-only until the e-APD declaration replaces it."""
        if model is AidDeclaration and not self.is_delegation:
            return model._default_manager.filter(authority_id__in=self.authority_ids)
        return self.editable(model)

    def may_view(self, instance):
        return self.visible(type(instance)).filter(pk=instance.pk).exists()

    def may_add(self, model):
        if self.is_delegation:
            return True
        if model in (Contact,):
            return bool(self.authority_ids)
        if model in (Cooperation, Project, PartnerAuthority):
            return bool(self.authority_ids or self.country_ids)
        if model is BourseProject:
            return bool(self.country_ids)
        return False

    def may_change(self, instance):
        return self.editable(type(instance)).filter(pk=instance.pk).exists()

    def authorities(self):
        """The authorities the user answers for (their records, their confirmations)."""
        return (
            Authority.objects.all()
            if self.is_delegation
            else Authority.objects.filter(pk__in=self.authority_ids)
        )

    def authorities_for_ties(self):
        """French authorities a cooperation may point to: an embassy records the ties of any French authority
        with its countries' partners (`admits` then requires the partner to be in its countries)."""
        if self.is_delegation or self.country_ids:
            return Authority.objects.all()
        return Authority.objects.filter(pk__in=self.authority_ids)

    def partners_for_new_ties(self):
        """Partners a cooperation may point to: any for authority agents, their countries' for embassies."""
        if self.is_delegation or self.authority_ids:
            return PartnerAuthority.objects.all()
        return PartnerAuthority.objects.filter(country_id__in=self.country_ids)

    def countries_for_partners(self):
        """Countries a partner authority may be created in: any for authority agents (their partners are
        everywhere), their own countries for embassies."""
        if self.is_delegation or self.authority_ids:
            return Country.objects.all()
        return Country.objects.filter(pk__in=self.country_ids)

    def admits(self, instance):
        """Whether a record, as a form is about to save it, stays inside the user's scope.

        Each choice of a form is limited on its own; this checks the combination (a French authority chosen
        by an embassy with a partner outside its countries) and the moves (an embassy's partner taken to
        another country), which no single choice list can refuse.
        """
        if self.is_delegation:
            return True
        model, adding = type(instance), instance._state.adding
        if model is Cooperation:
            return instance.authority_id in self.authority_ids or (
                instance.partner_id is not None and instance.partner.country_id in self.country_ids
            )
        if model is Project:
            return instance.cooperation_id is not None and self.admits(instance.cooperation)
        if model is Contact:
            return instance.authority_id in self.authority_ids
        if model is PartnerAuthority:
            # Authority agents add partners anywhere but edit none afterwards (they are the embassy's).
            return instance.country_id in self.country_ids or (adding and bool(self.authority_ids))
        if model is BourseProject:
            return instance.partner_id is not None and instance.partner.country_id in self.country_ids
        if adding:
            return self.may_add(model)
        return self.editable(model).filter(pk=instance.pk).exists()

    @cached_property
    def edits_pages(self):
        """Whether the user writes pages (editorial pages, the tourism platform): their pages link any
        published Atlas record (authorities, projects, countries)."""
        from wagtail.permission_policies.pages import PagePermissionPolicy

        return PagePermissionPolicy().user_has_any_permission(self.user, ["add", "change", "publish"])

    def choosable(self, model):
        """What the admin choosers offer this user for a model, and the only objects they return: the union of
        what the user's forms accept. Published reference data (themes, networks) is everybody's."""
        from tourism.models import TourismTheme

        manager = model._default_manager
        if self.is_delegation or model in (Theme, Network, TourismTheme):
            return manager.all()
        if model is Authority:
            return manager.all() if self.edits_pages else self.authorities_for_ties()
        if model is Country:
            return manager.all() if self.edits_pages else self.countries_for_partners()
        if model is PartnerAuthority:
            return self.partners_for_new_ties()
        if model is Project:
            return manager.all() if self.edits_pages else self.editable(Project)
        if model is BourseProject:
            # Published projects are public; drafts are their embassy's and the Délégation's.
            return manager.filter(Q(live=True) | Q(pk__in=self.editable(BourseProject).values("pk")))
        return self.visible(model)


def scope_for(user):
    """The scope, computed once per user object (that is, once per request)."""
    if not hasattr(user, "_atlas_scope"):
        user._atlas_scope = Scope(user)
    return user._atlas_scope
