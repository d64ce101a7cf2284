"""The e-APD in the admin: the declarations (authority agents, ministries, operators, the Délégation), the
Délégation's windows, and the national views (national_hooks)."""

from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.accounts.choosers import ScopedChooserMixin
from portal.accounts.permissions import ScopedPermissionPolicy
from portal.accounts.scope import scope_for

from . import (
    national_hooks,  # noqa: F401
    views,
)
from .models import AidDeclaration, AidWindow


@hooks.register("register_admin_urls")
def register_declaration_urls():
    return [
        path("e-apd/", views.index_view, name="aid_declarations"),
        path("e-apd/<int:authority_id>/<int:year>/", views.declaration_view, name="aid_declaration"),
        path("e-apd/<int:authority_id>/<int:year>/corriger/", views.correct_view, name="aid_correct"),
        path("e-apd/<int:authority_id>/<int:year>/recepisse.pdf", views.receipt_view, name="aid_receipt"),
        path(
            "e-apd/<int:authority_id>/<int:year>/piece-justificative/",
            views.document_view,
            name="aid_document",
        ),
    ]


class DeclarationsMenuItem(MenuItem):
    def is_shown(self, request):
        scope = scope_for(request.user)
        return bool(scope.is_delegation or scope.authority_ids or scope.is_ministry or scope.is_operator)


@hooks.register("register_admin_menu_item")
def register_declarations_menu_item():
    return DeclarationsMenuItem(
        _("Development aid (e-APD)"), reverse("aid_declarations"), icon_name="form", order=155
    )


@hooks.register("atlas_authority_admin_panels")
def records_panel(request, authority):
    """Under the authority in "My Atlas records": where its declaration of the open year stands."""
    scope = scope_for(request.user)
    if not (scope.is_delegation or authority.pk in scope.authority_ids):
        return None
    now = timezone.now()
    current = AidWindow.current(now)
    declaration = (
        AidDeclaration.objects.filter(authority=authority, year=current.year).first() if current else None
    )
    return render_to_string(
        "aid/includes/records_panel.html",
        {
            "authority": authority,
            "current": current,
            "upcoming": AidWindow.next(now),
            "declaration": declaration,
        },
        request=request,
    )


class AidWindowViewSet(ScopedChooserMixin, SnippetViewSet):
    """The Délégation opens one window a year (dates in Paris time, the site's time zone); its chooser, like
    every admin view of the windows, answers the Délégation only (the scope's rules)."""

    model = AidWindow
    icon = "date"
    menu_label = _("e-APD windows")
    menu_order = 156
    add_to_admin_menu = True
    list_display = ["year", "opens_at", "closes_at"]
    chooser_search_fields = ("year",)
    permission_policy = ScopedPermissionPolicy(AidWindow)
    edit_handler = ObjectList(
        [FieldPanel("year"), FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")])]
    )


register_snippet(AidWindowViewSet)
