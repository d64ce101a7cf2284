"""Calls and dossiers in the Wagtail admin.

- "Calls for projects" (the Délégation's alone): create calls, set their dates and rules.
- "My dossiers" (authority agents): the organisation's dossiers, each edited in a form that autosaves, with
  its partners chosen from the Atlas and its budget table totalled as one types; a page per dossier to check
  eligibility, attach documents and file it.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    MultiFieldPanel,
    MultipleChooserPanel,
    ObjectList,
    Panel,
)
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView

from atlas.models import Authority
from atlas.wagtail_hooks import ScopedSnippetViewSet
from portal.accounts.choosers import (
    ScopedChooseResultsView,
    ScopedChooseView,
    ScopedChosenMultipleView,
    ScopedChosenView,
    ScopedSnippetChooserViewSet,
)
from portal.accounts.permissions import ScopedPermissionPolicy
from portal.accounts.scope import scope_for
from portal.core.admin_guards import BoundedInlinePanel, is_key
from portal.core.keeper import keeps_expired_post, kept_input

from . import (
    instruction_hooks,  # noqa: F401 - the instruction's admin addresses and menus
    views,
)
from .forms import CallAdminForm, DossierForm
from .links import preparation_url
from .models import Application, Call

BUDGET_LINES_MAX = 100
PARTNERS_MAX = 50


# French partners: any French authority of the Atlas (public records), whatever the user's own scope ---------


class AnyAuthorityMixin:
    def get_object_list(self):
        return Authority.objects.order_by("name")


class FrenchAuthorityChooseView(AnyAuthorityMixin, ScopedChooseView):
    pass


class FrenchAuthorityChooseResultsView(AnyAuthorityMixin, ScopedChooseResultsView):
    pass


class FrenchAuthorityChosenView(ScopedChosenView):
    def get_object(self, pk):
        return Authority.objects.get(pk=pk)


class FrenchAuthorityChosenMultipleView(ScopedChosenMultipleView):
    def get_objects(self, pks):
        return Authority.objects.filter(pk__in=[pk for pk in pks if is_key(Authority, str(pk))])


class FrenchAuthorityChooserViewSet(ScopedSnippetChooserViewSet):
    choose_view_class = FrenchAuthorityChooseView
    choose_results_view_class = FrenchAuthorityChooseResultsView
    chosen_view_class = FrenchAuthorityChosenView
    chosen_multiple_view_class = FrenchAuthorityChosenMultipleView


french_authority_chooser = FrenchAuthorityChooserViewSet(
    "funding_french_authority_chooser",
    model=Authority,
    url_prefix="funding/choisir-collectivite",
    icon="home",
    per_page=20,
    search_fields=("name", "code"),
)


@hooks.register("register_admin_viewset")
def register_french_authority_chooser():
    return french_authority_chooser


# The dossier form ------------------------------------------------------------------------------------------


class BoundedMultipleChooserPanel(BoundedInlinePanel, MultipleChooserPanel):
    """Partners chosen several at a time in the chooser, at most `max_num` of them."""


class BudgetTotalsPanel(Panel):
    """The totals of the budget table and the call's rules on them. The server's figures (as last saved)
    show without JavaScript; the script recomputes them from the lines as one types."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "funding/admin/budget_totals.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            application = self.instance
            context["call"] = application.call
            context["totals"] = totals = application.budget_totals()
            context["requested_share"] = totals.share(totals.requested)
            context["updated_at"] = int(application.updated_at.timestamp()) if application.updated_at else 0
            context["own_share"] = totals.share(totals.own_share)
            context["expense_categories"] = [
                key for key, _label in application.budget_lines.model.EXPENSE_CATEGORIES
            ]
            return context

        @property
        def media(self):
            return forms.Media(
                js=["funding/js/dossier-form.js"], css={"all": ["funding/css/dossier-form.css"]}
            )


class DocumentsPanel(Panel):
    """The documents are attached on the dossier's page (a file upload is not autosaved)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "funding/admin/documents_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["application"] = self.instance
            context["attachments"] = self.instance.attachments.all()
            context["page_url"] = preparation_url(self.instance)
            return context


class ApplicationPermissionPolicy(ScopedPermissionPolicy):
    """ "My dossiers" is the applicants' desk: authority agents list their organisation's dossiers and start
    new ones (the Délégation lists them all, and starts none: it files no dossier). Agents discard their own
    drafts; a filed dossier is withdrawn (instruction), never deleted by them. Reviewers read the dossiers
    on the follow-up pages, not here."""

    def user_has_permission(self, user, action):
        scope = scope_for(user)
        if action == "add":
            return bool(scope.authority_ids)
        if action == "view":
            return scope.is_delegation or bool(scope.authority_ids)
        return super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "add":
            return self.user_has_permission(user, action)
        if action == "delete" and not scope_for(user).is_delegation:
            return instance.state == Application.State.DRAFT and scope_for(user).may_change(instance)
        return super().user_has_permission_for_instance(user, action, instance)

    def instances_user_has_permission_for(self, user, action):
        instances = super().instances_user_has_permission_for(user, action)
        if action == "delete" and not scope_for(user).is_delegation:
            instances = instances.filter(state=Application.State.DRAFT)
        return instances


class ApplicationEditView(EditView):
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # What an expired session posted here (kept by KeepExpiredPostMiddleware), shown again once.
        kept = kept_input(self.request) if self.request.method == "GET" else None
        if kept:
            kwargs["data"] = MultiValueDict(kept)
            messages.warning(
                self.request, _("What you typed before your session expired is back in the form: save it.")
            )
        return kwargs

    def get_success_url(self):
        # After saving, the dossier's page: its eligibility, rule by rule, and the filing button.
        return preparation_url(self.object)


class ApplicationViewSet(ScopedSnippetViewSet):
    model = Application
    edit_view_class = ApplicationEditView
    base_url_path = "funding/dossiers"
    admin_url_namespace = "wagtailsnippets_funding_application"
    icon = "folder-open-inverse"
    menu_label = _("My dossiers")
    menu_name = "funding_my_dossiers"
    menu_order = 155
    add_to_admin_menu = True
    copy_view_enabled = False
    list_display = ["title", "call", "state", "updated_at"]
    list_filter = ["state", "call"]
    search_fields = ["title"]
    chooser_search_fields = ("title",)
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("title"),
                    FieldRowPanel(
                        [
                            FieldPanel("country", widget=forms.Select),
                            FieldPanel("duration_years"),
                        ]
                    ),
                    FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
                ],
                heading=_("The project"),
            ),
            FieldPanel("summary"),
            FieldPanel("objectives"),
            FieldPanel("activities"),
            BoundedMultipleChooserPanel(
                "french_partner_lines",
                chooser_field_name="authority",
                heading=_("French partner authorities"),
                label=_("French authority"),
                panels=[FieldPanel("authority", widget=french_authority_chooser.widget_class)],
                max_num=PARTNERS_MAX,
            ),
            BoundedMultipleChooserPanel(
                "foreign_partner_lines",
                chooser_field_name="partner",
                heading=_("Foreign partner authorities"),
                label=_("Partner authority"),
                max_num=PARTNERS_MAX,
            ),
            MultiFieldPanel(
                [
                    HelpPanel(
                        content=_(
                            "Expenses by category, then resources: the co-financing requested from the "
                            "Ministry, your own funds, in-kind contributions and other funders. Resources "
                            "must equal expenses."
                        )
                    ),
                    BoundedInlinePanel("budget_lines", label=_("Budget line"), max_num=BUDGET_LINES_MAX),
                    BudgetTotalsPanel(),
                ],
                heading=_("Budget"),
            ),
            DocumentsPanel(heading=_("Documents")),
        ],
        base_form_class=DossierForm,
    )

    @property
    def permission_policy(self):
        return ApplicationPermissionPolicy(self.model)

    def get_queryset(self, request):
        scope = scope_for(request.user)
        dossiers = Application.objects.select_related("call")
        return (
            dossiers if scope.is_delegation else dossiers.filter(organisation_id__in=scope.organisation_ids)
        )

    def get_menu_item(self, order=None):
        item = super().get_menu_item(order)
        # Authority agents only: the Délégation follows dossiers in the instruction's list.
        item.is_shown = lambda request: bool(scope_for(request.user).authority_ids)
        return item

    @property
    def edit_view(self):
        # An expired session's post of the form is kept for after the login (portal.core.keeper).
        return keeps_expired_post(super().edit_view)

    @property
    def add_view(self):
        # A dossier starts from an open call, blank or from a past dossier: never from an empty form.
        return views.start


register_snippet(ApplicationViewSet)


class DelegationOnlyViewSetMixin:
    @property
    def permission_policy(self):
        return ScopedPermissionPolicy(self.model)

    def get_permissions_to_register(self):
        # Nothing to grant in the group settings: calls are the Délégation's (the scope says so).
        return Permission.objects.none()


class CallViewSet(DelegationOnlyViewSetMixin, ModelViewSet):
    model = Call
    name = "funding_calls"
    url_prefix = "funding/appels"
    icon = "calendar-alt"
    menu_label = _("Calls for projects")
    menu_order = 162
    add_to_admin_menu = True
    copy_view_enabled = False
    list_display = ["title", "year", "kind", "opens_at", "closes_at"]
    list_filter = ["kind", "year"]
    search_fields = ["title"]
    search_backend_name = None
    ordering = ["-opens_at"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("title"), FieldPanel("year"), FieldPanel("kind")]),
            FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")], heading=_("Dates (Paris time)")),
            FieldPanel("eligible_countries", widget=forms.SelectMultiple(attrs={"size": 12})),
            FieldPanel("eligible_themes", widget=forms.CheckboxSelectMultiple),
            MultiFieldPanel(
                [
                    FieldPanel("max_requested_share"),
                    FieldPanel("min_own_share"),
                    FieldPanel("max_in_kind_share"),
                ],
                heading=_("Budget rules"),
            ),
            FieldPanel("required_documents"),
        ],
        base_form_class=CallAdminForm,
    )


@hooks.register("register_admin_viewset")
def register_call_viewset():
    return CallViewSet()


@hooks.register("register_admin_urls")
def register_funding_urls():
    return [
        path("funding/dossiers/nouveau/", views.start, name="funding_start"),
        path("funding/dossiers/<int:pk>/", views.application_page, name="funding_application"),
        path("funding/dossiers/<int:pk>/deposer/", views.file_application, name="funding_file"),
        path("funding/dossiers/<int:pk>/pieces/", views.upload_attachment, name="funding_attachments"),
        path("funding/dossiers/<int:pk>/recepisse.pdf", views.receipt, name="funding_receipt"),
        path("funding/pieces/<int:pk>/", views.download_attachment, name="funding_attachment"),
        path("funding/pieces/<int:pk>/supprimer/", views.delete_attachment, name="funding_attachment_delete"),
    ]


@hooks.register("register_log_actions")
def register_funding_log_actions(actions):
    @actions.register_action("funding.attachment_added")
    class AttachmentAdded(LogFormatter):
        label = _("Document attached")

        def format_message(self, log_entry):
            return _("Document attached: %(name)s") % {"name": log_entry.data.get("name", "")}

    @actions.register_action("funding.attachment_removed")
    class AttachmentRemoved(LogFormatter):
        label = _("Document removed")

        def format_message(self, log_entry):
            return _("Document removed: %(name)s") % {"name": log_entry.data.get("name", "")}


class StartMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(scope_for(request.user).authority_ids)


@hooks.register("register_admin_menu_item")
def register_start_menu_item():
    return StartMenuItem(_("Apply to a call"), reverse("funding_start"), icon_name="plus", order=156)
