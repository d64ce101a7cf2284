"""The national e-APD views in the admin (menu "APD nationale"), their log action, and the e-APD panels of
the public Atlas pages; imported by wagtail_hooks.py, the module Wagtail loads."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from atlas.panels import AUTHORITY_PANELS, COUNTRY_TRENDS, HOME_PANELS, HOME_TRENDS, OPEN_DATA_PANELS
from atlas.seeding import SEED_HOOK, SEED_MODELS_HOOK

from . import national_views, public, seeding
from .models import AidDeclaration, AidHistory, AidLine
from .national import REMINDER_ACTION, national_access


@hooks.register("register_admin_urls")
def register_national_urls():
    return [
        path("apd-nationale/", national_views.national, name="aid_national"),
        path("apd-nationale/declarants/", national_views.declarers_view, name="aid_national_declarers"),
        path(
            "apd-nationale/declarants/<int:authority_id>/relancer/",
            national_views.remind_view,
            name="aid_national_remind",
        ),
        path(
            "apd-nationale/relancer-les-retardataires/",
            national_views.remind_all_view,
            name="aid_national_remind_all",
        ),
        path("apd-nationale/relances/", national_views.reminders_view, name="aid_national_reminders"),
        path("apd-nationale/export-crs.csv", national_views.crs_csv, name="aid_national_crs_csv"),
        path("apd-nationale/export-crs.xlsx", national_views.crs_xlsx, name="aid_national_crs_xlsx"),
    ]


class NationalMenuItem(MenuItem):
    def is_shown(self, request):
        return national_access(request.user) is not None


@hooks.register("register_admin_menu_item")
def register_national_menu_item():
    return NationalMenuItem(
        _("National development aid"), reverse("aid_national"), icon_name="form", order=160
    )


@hooks.register("register_log_actions")
def register_reminder_log_action(actions):
    actions.register_action(REMINDER_ACTION, _("Reminder to declare development aid"), _("Aid reminder sent"))


hooks.register(AUTHORITY_PANELS, public.authority_panel)
hooks.register(HOME_PANELS, public.home_panel)
hooks.register(OPEN_DATA_PANELS, public.open_data_panel)
hooks.register(HOME_TRENDS, public.home_trend_panel)
hooks.register(COUNTRY_TRENDS, public.country_trend_panel)


# The full-scale seed (atlas/seeding.py): ten years of filed declarations; a reset deletes them with the
# authorities, lines and history included.
hooks.register(SEED_HOOK, seeding.seed_declarations)


@hooks.register(SEED_MODELS_HOOK)
def aid_seed_models():
    return [AidDeclaration], [AidLine, AidHistory]
