"""Who a user acts for, and what that lets them do with each product's records: the organisation rule of
DESIGN.md, asked in one place.

A Scope holds the facts of a user's approved memberships (the authorities, the embassy's countries, the
prefecture's territory, a ministry or an operator; the Délégation). What those facts allow for a model is
taught by the product that owns the model, in its AppConfig.ready(): `register_rules(Model, Rules())`. The
admin's permission policies, listings, choosers and object URLs and the products' own views all ask the
scope, so the rule cannot differ between them; this module imports no product.
"""

from django.db.models import Q
from django.utils.functional import cached_property

from .models import Membership, Organisation

DELEGATION_GROUP = "Administrateurs de la Délégation"


class ScopeRules:
    """What a non-Délégation user may do with one model; the default is nothing. The Délégation is allowed
    everything before any rule is asked."""

    def editable(self, scope, manager):
        """The instances this user may change or delete."""
        return manager.none()

    def visible(self, scope, manager):
        """The instances this user may see (in the admin, in a product's lists)."""
        return self.editable(scope, manager)

    def may_add(self, scope):
        return False

    def admits(self, scope, instance):
        """Whether a record, as a form is about to save it, stays inside the user's scope: each choice of a
        form is limited on its own, this checks their combination and the moves."""
        if instance._state.adding:
            return self.may_add(scope)
        return self.editable(scope, instance._meta.default_manager).filter(pk=instance.pk).exists()

    def choosable(self, scope, manager):
        """What the admin choosers offer for the model, and the only objects they return."""
        return self.visible(scope, manager)


class PublicRules(ScopeRules):
    """Published reference data (themes, networks): everybody chooses it; only the Délégation edits it."""

    def choosable(self, scope, manager):
        return manager.all()


_RULES = {}
_NOTHING = ScopeRules()


def register_rules(model, rules):
    """Teach the scope what `model`'s records allow (called from the owning product's AppConfig.ready())."""
    _RULES[model] = rules


def rules_for(model):
    return _RULES.get(model, _NOTHING)


class Scope:
    def __init__(self, user):
        self.user = user
        active = user.is_authenticated and user.is_active
        self.is_delegation = bool(
            active and (user.is_superuser or user.groups.filter(name=DELEGATION_GROUP).exists())
        )
        memberships = (
            Membership.objects.approved().filter(user=user).select_related("organisation")
            if active
            else Membership.objects.none()
        )
        organisations = [m.organisation for m in memberships]
        Kind = Organisation.Kind
        self.organisation_ids = {o.pk for o in organisations}
        self.authority_ids = {o.authority_id for o in organisations if o.kind == Kind.LOCAL_AUTHORITY}
        embassy_ids = [o.pk for o in organisations if o.kind == Kind.EMBASSY]
        self.country_ids = (
            set(
                Organisation.countries.through.objects.filter(organisation_id__in=embassy_ids).values_list(
                    "country_id", flat=True
                )
            )
            if embassy_ids
            else set()
        )
        prefectures = [o for o in organisations if o.kind == Kind.PREFECTURE]
        # A prefecture of région answers for the whole région; a prefecture of département for its own.
        self.prefecture_regions = {o.region for o in prefectures if o.region}
        self.prefecture_departements = {o.departement for o in prefectures if o.departement and not o.region}
        self.is_ministry = any(o.kind == Kind.MINISTRY for o in organisations)
        self.is_operator = any(o.kind == Kind.OPERATOR for o in organisations)

    @property
    def is_agent(self):
        return self.is_delegation or bool(self.authority_ids or self.country_ids)

    @property
    def is_prefecture(self):
        return bool(self.prefecture_regions or self.prefecture_departements)

    @property
    def reads_national_views(self):
        """Ministry and operator agents read the national views (the Délégation does everything)."""
        return self.is_delegation or self.is_ministry or self.is_operator

    def territory_filter(self, region="region", departement="departement"):
        """A Q limiting rows with these région/département fields to the prefecture's territory (none
        matches for a user without one)."""
        if not self.is_prefecture:
            return Q(pk__in=[])
        return Q(**{f"{region}__in": self.prefecture_regions}) | Q(
            **{f"{departement}__in": self.prefecture_departements}
        )

    def editable(self, model):
        manager = model._default_manager
        return manager.all() if self.is_delegation else rules_for(model).editable(self, manager)

    def visible(self, model):
        manager = model._default_manager
        return manager.all() if self.is_delegation else rules_for(model).visible(self, manager)

    def may_view(self, instance):
        return self.visible(type(instance)).filter(pk=instance.pk).exists()

    def may_add(self, model):
        return self.is_delegation or rules_for(model).may_add(self)

    def may_change(self, instance):
        return self.editable(type(instance)).filter(pk=instance.pk).exists()

    def admits(self, instance):
        return self.is_delegation or rules_for(type(instance)).admits(self, instance)

    def choosable(self, model):
        manager = model._default_manager
        return manager.all() if self.is_delegation else rules_for(model).choosable(self, manager)

    @cached_property
    def edits_pages(self):
        """Whether the user writes pages (editorial pages, the tourism platform): their pages link any
        published record (authorities, projects, countries)."""
        from wagtail.permission_policies.pages import PagePermissionPolicy

        return PagePermissionPolicy().user_has_any_permission(self.user, ["add", "change", "publish"])


def scope_for(user):
    """The scope, computed once per user object (that is, once per request)."""
    if not hasattr(user, "_atlas_scope"):
        user._atlas_scope = Scope(user)
    return user._atlas_scope
