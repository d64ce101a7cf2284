"""The campaign in the Wagtail admin (its pages and menu item) and its panels on the Atlas pages."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from atlas.admin_views import AUTHORITY_ADMIN_PANELS
from atlas.panels import AUTHORITY_PANELS, HOME_PANELS
from portal.accounts.scope import scope_for

from . import panels, urls
from .rules import follows_campaigns


@hooks.register("register_admin_urls")
def register_campaign_urls():
    return [path("campagnes/", include((urls.urlpatterns, urls.app_name), namespace="campaigns"))]


class CampaignMenuItem(MenuItem):
    def is_shown(self, request):
        scope = scope_for(request.user)
        return scope.is_delegation or follows_campaigns(scope)


@hooks.register("register_admin_menu_item")
def register_campaign_menu_item():
    return CampaignMenuItem(
        _("Update campaign"), reverse("campaigns:index"), icon_name="tasks", name="campaigns", order=160
    )


hooks.register(AUTHORITY_ADMIN_PANELS, panels.admin_authority_panel)
hooks.register(AUTHORITY_PANELS, panels.authority_panel)
hooks.register(HOME_PANELS, panels.home_panel)
