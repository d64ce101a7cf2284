"""The Bourse-projets in the Wagtail admin: embassies register their countries' projects, the Délégation
validates and publishes them through the "Validation Bourse-projets" workflow."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList

from portal.accounts.scope import scope_for
from portal.core.widgets import LocalLeafletPanel

from .forms import DuplicatePartnerGuardMixin, ScopedAdminForm
from .models import BourseProject


def user_embassy(user):
    """The first embassy the user is an approved member of, or None."""
    from portal.accounts.models import Membership, Organisation

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


def make_viewset():
    # atlas.wagtail_hooks imports this module and defines ScopedSnippetViewSet before asking for the viewset:
    # importing it here, at call time, avoids an import cycle.
    from .wagtail_hooks import ScopedSnippetViewSet

    class BourseProjectViewSet(ScopedSnippetViewSet):
        model = BourseProject
        icon = "pick"
        menu_label = _("Bourse projects")
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

    return BourseProjectViewSet


_viewset = None


def __getattr__(name):
    """`bourse_admin.BourseProjectViewSet`, built on first use (see make_viewset)."""
    global _viewset
    if name == "BourseProjectViewSet":
        if _viewset is None:
            _viewset = make_viewset()
        return _viewset
    raise AttributeError(name)
