"""The Bourse-projets in the Wagtail admin: embassies register their countries' projects, the Délégation
validates and publishes them through the "Validation Bourse-projets" workflow. The projects keep their snippet
addresses (/admin/snippets/atlas/bourseproject/), under their own menu item beside the Atlas's.

Also the Bourse's part of the member's dashboard (portal/accounts/dashboard.py): suggestions and alerts."""

from django import forms
from django.template.loader import render_to_string
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.snippets.models import register_snippet

from atlas.forms import DuplicatePartnerGuardMixin, ScopedAdminForm
from atlas.wagtail_hooks import ScopedSnippetViewSet
from portal.accounts.dashboard import DASHBOARD_PANELS
from portal.accounts.models import Membership, Organisation
from portal.accounts.scope import scope_for
from portal.core.widgets import LocalLeafletPanel

from .models import BourseContactRequest, BourseProject


def user_embassy(user):
    """The first embassy the user is an approved member of, or None."""
    membership = (
        Membership.objects.approved()
        .filter(user=user, organisation__kind=Organisation.Kind.EMBASSY)
        .select_related("organisation")
        .first()
    )
    return membership.organisation if membership else None


class BourseProjectAdminForm(DuplicatePartnerGuardMixin, ScopedAdminForm):
    """The partner is limited to the embassy's countries (ScopedAdminForm's "partner" limit), so a project
    for another country is refused by validation; the registering embassy is filled in on creation."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.for_user = for_user
        if "embassy" in self.fields and for_user is not None and not scope_for(for_user).is_delegation:
            # Only the Délégation chooses the embassy; an embassy's agents register for their own.
            self.fields["embassy"].disabled = True
            self.fields["embassy"].required = False

    def save(self, commit=True):
        if self.instance.embassy_id is None and self.for_user is not None:
            self.instance.embassy = user_embassy(self.for_user)
        return super().save(commit=commit)


class BourseProjectViewSet(ScopedSnippetViewSet):
    model = BourseProject
    icon = "pick"
    menu_label = capfirst(_("Bourse projects"))
    # Its own menu item, right after the Atlas's group (menu_order 200): the Atlas does not list the Bourse.
    add_to_admin_menu = True
    menu_order = 201
    list_display = ["title", "partner", "country", "status", "expires_on", "live"]
    list_filter = ["status", "live", "country__continent"]
    search_fields = ["title", "summary"]
    chooser_search_fields = ("title", "partner__name", "country__name")
    edit_handler = ObjectList(
        [
            FieldPanel("partner"),
            FieldPanel("title"),
            FieldPanel("summary"),
            FieldPanel("description"),
            MultiFieldPanel(
                [FieldPanel("title_en"), FieldPanel("summary_en")],
                heading=_("In English, for partners abroad (optional)"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("original_language"),
                    FieldPanel("original_title"),
                    FieldPanel("original_summary"),
                ],
                heading=_("In the partner's own words"),
            ),
            FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
            FieldRowPanel([FieldPanel("partner_kind_sought"), FieldPanel("partner_size_sought")]),
            FieldRowPanel([FieldPanel("budget"), FieldPanel("duration_months")]),
            FieldPanel("working_languages"),
            FieldRowPanel([FieldPanel("status"), FieldPanel("expires_on")]),
            FieldPanel("embassy"),
            LocalLeafletPanel("location"),
        ],
        base_form_class=BourseProjectAdminForm,
    )


register_snippet(BourseProjectViewSet)


class BourseContactRequestViewSet(ScopedSnippetViewSet):
    """Visitors' requests about Bourse projects (contact.py), read by the embassy of the project's country:
    a list and each request's page; nobody adds or changes one here (BourseContactRequestRules)."""

    model = BourseContactRequest
    icon = "mail"
    menu_label = capfirst(_("Bourse contact requests"))
    add_to_admin_menu = True
    menu_order = 202
    inspect_view_enabled = True
    list_display = ["name", "organisation", "country", "project", "created_at"]
    list_filter = ["project__country__continent"]
    search_fields = ["name", "organisation", "email", "message"]
    chooser_search_fields = ("name", "organisation")
    inspect_view_fields = ["project", "name", "organisation", "country", "email", "message", "language"]


register_snippet(BourseContactRequestViewSet)


@hooks.register(DASHBOARD_PANELS)
def dashboard_suggestions(request):
    """Bourse projects where the member's authorities already work, and the way to their alerts."""
    return render_to_string("bourse/suggestions.html", request=request)
