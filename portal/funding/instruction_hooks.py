"""The instruction's admin addresses and menu items, and its answer to the eligibility's question about
earlier grants' final reports (eligibility.FINAL_REPORTS_HOOK). Imported by wagtail_hooks.py."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from portal.accounts.scope import scope_for

from . import instruction
from . import instruction_views as views
from .eligibility import FINAL_REPORTS_HOOK


@hooks.register("register_admin_urls")
def register_instruction_urls():
    return [
        path("funding/instruction/", views.dossiers, name="funding_dossiers"),
        path("funding/avis/", views.awaiting, name="funding_awaiting"),
        path("funding/suivi/<int:pk>/", views.dossier, name="funding_dossier"),
        path("funding/suivi/<int:pk>/etape/<str:move>/", views.move, name="funding_move"),
        path("funding/suivi/<int:pk>/correction/", views.correction, name="funding_correction"),
        path("funding/suivi/<int:pk>/decision/", views.decide, name="funding_decide"),
        path("funding/suivi/<int:pk>/demander-avis/", views.ask_opinion, name="funding_ask_opinion"),
        path("funding/suivi/<int:pk>/rapport/", views.file_report, name="funding_file_report"),
        path(
            "funding/suivi/<int:pk>/lettre-attribution.pdf", views.award_letter, name="funding_award_letter"
        ),
        path("funding/avis/<int:pk>/donner/", views.give_opinion, name="funding_give_opinion"),
        path("funding/avis/<int:pk>/communiquer/", views.release_opinion, name="funding_release_opinion"),
        path("funding/avis/<int:pk>/fichier/", views.opinion_file, name="funding_opinion_file"),
        path("funding/rapports/<int:pk>/approuver/", views.approve_report, name="funding_approve_report"),
        path("funding/rapports/<int:pk>/fichier/", views.report_file, name="funding_report_file"),
    ]


class ReviewerMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(instruction.reviewer_organisation_ids(request.user))


class DelegationMenuItem(MenuItem):
    def is_shown(self, request):
        return scope_for(request.user).is_delegation


@hooks.register("register_admin_menu_item")
def register_awaiting_menu_item():
    return ReviewerMenuItem(
        _("Opinions awaiting me"), reverse("funding_awaiting"), icon_name="comment", order=160
    )


@hooks.register("register_admin_menu_item")
def register_dossiers_menu_item():
    return DelegationMenuItem(
        _("Dossiers under instruction"),
        reverse("funding_dossiers"),
        icon_name="folder-open-inverse",
        order=161,
    )


@hooks.register(FINAL_REPORTS_HOOK)
def final_reports_due(application):
    return instruction.final_reports_overdue(application)
