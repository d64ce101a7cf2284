"""What the organisation scope (portal.accounts.scope) allows on the e-APD, registered in AidConfig.ready().

- Authority agents read their authority's declarations, and write them only while the window of their year
  is open (drafts, filing, filing again); past years never.
- Prefecture agents see whether their territory's authorities have filed (the declaration's status), not the
  amounts nor the document: `visible` includes them, `readable` does not.
- Ministry and operator agents read every declaration.
- The Délégation does everything (the scope allows it before asking these rules), corrections included.
"""

from django.db.models import Q

from portal.accounts.scope import ScopeRules, register_rules

from .models import AidDeclaration, AidHistory, AidLine, AidWindow


def open_year():
    """The year whose window is open now, or None."""
    window = AidWindow.current()
    return window.year if window else None


class DeclarationRules(ScopeRules):
    def editable(self, scope, manager):
        year = open_year() if scope.authority_ids else None
        if year is None:
            return manager.none()
        return manager.filter(authority_id__in=scope.authority_ids, year=year)

    def readable(self, scope, manager):
        """Declarations whose amounts, receipt and document the user reads."""
        if scope.is_ministry or scope.is_operator:
            return manager.all()
        return manager.filter(authority_id__in=scope.authority_ids)

    def visible(self, scope, manager):
        if scope.is_ministry or scope.is_operator:
            return manager.all()
        own = Q(authority_id__in=scope.authority_ids)
        if scope.is_prefecture:
            own |= scope.territory_filter(region="authority__region", departement="authority__departement")
        return manager.filter(own)

    def may_add(self, scope):
        return bool(scope.authority_ids) and open_year() is not None

    def admits(self, scope, instance):
        """A declaration saved by an authority agent: its own authority's, for the year being declared."""
        year = open_year()
        return year is not None and instance.authority_id in scope.authority_ids and instance.year == year


class LineRules(ScopeRules):
    """Lines (and history entries) follow their declaration; prefectures never read them."""

    def editable(self, scope, manager):
        return manager.filter(declaration__in=DECLARATIONS.editable(scope, AidDeclaration.objects.all()))

    def visible(self, scope, manager):
        return manager.filter(declaration__in=DECLARATIONS.readable(scope, AidDeclaration.objects.all()))

    def admits(self, scope, instance):
        return DECLARATIONS.admits(scope, instance.declaration)


DECLARATIONS = DeclarationRules()


def readable_declarations(scope):
    """The declarations whose amounts the user reads (everything for the Délégation)."""
    manager = AidDeclaration.objects
    return manager.all() if scope.is_delegation else DECLARATIONS.readable(scope, manager.all())


def may_read(scope, declaration):
    return readable_declarations(scope).filter(pk=declaration.pk).exists()


def register():
    register_rules(AidDeclaration, DECLARATIONS)
    register_rules(AidLine, LineRules())
    register_rules(AidHistory, LineRules())
    # The windows are the Délégation's to set (the default rules allow nobody else); every e-APD page shows
    # their dates by reading them directly.
    register_rules(AidWindow, ScopeRules())
