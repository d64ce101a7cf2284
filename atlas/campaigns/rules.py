"""What the campaign's records allow each role (registered with the organisation rule in apps.py).

Authority agents, prefecture agents and ministry or operator agents follow the campaigns; only the Délégation
opens, closes and mails them (it is allowed everything before these rules are asked). A prefecture reminds the
authorities of its territory only.
"""

from atlas.models import Authority
from portal.accounts.scope import ScopeRules


def follows_campaigns(scope):
    return bool(scope.authority_ids) or scope.is_prefecture or scope.reads_national_views


def dashboard_authorities(scope):
    """The authorities whose progress the user reads on the dashboard: all of them for the Délégation and
    the ministry and operator agents, the territory's for a prefecture; None for anyone else."""
    if scope.reads_national_views:
        return Authority.objects.all()
    if scope.is_prefecture:
        return Authority.objects.filter(scope.territory_filter())
    return None


class CampaignRules(ScopeRules):
    def visible(self, scope, manager):
        return manager.all() if follows_campaigns(scope) else manager.none()


class ReminderRules(ScopeRules):
    """A reminder is the prefecture's about its territory's authorities."""

    def visible(self, scope, manager):
        if scope.reads_national_views:
            return manager.all()
        return manager.filter(scope.territory_filter("authority__region", "authority__departement"))

    def may_add(self, scope):
        return scope.is_prefecture

    def admits(self, scope, instance):
        if not instance._state.adding or not self.may_add(scope):
            return False
        return Authority.objects.filter(scope.territory_filter(), pk=instance.authority_id).exists()
