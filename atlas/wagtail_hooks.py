"""The Atlas records in the Wagtail admin, grouped under one menu, each user seeing only their scope."""

from functools import wraps

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import DeleteView, SnippetViewSet, SnippetViewSetGroup

from portal.accounts.choosers import ScopedChooserMixin
from portal.accounts.permissions import ScopedPermissionPolicy
from portal.accounts.scope import scope_for
from portal.core.widgets import LocalLeafletPanel

from . import admin_views
from .forms import PartnerAuthorityAdminForm, ScopedAdminForm
from .models import (
    Authority,
    Contact,
    Cooperation,
    Country,
    Network,
    PartnerAuthority,
    Project,
    Theme,
)


def guard_object(view, model, read_only=False):
    """Refuses any admin URL about an object outside the user's scope, whatever the view behind it.

    Wagtail's generic snippet views check model permissions only, not per-object ones: this wraps every URL
    that names an object (edit, delete, history, revisions, lock, usage, copy…) with the organisation rule.
    """

    @wraps(view)
    def guarded(request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None:
            try:
                instance = model._default_manager.filter(pk=unquote(str(pk))).first()
            except (ValueError, ValidationError):
                # A key the model's primary key cannot be ("../etc", "é"): no such object.
                raise Http404 from None
            if instance is not None:
                scope = scope_for(request.user)
                if not (scope.may_view(instance) if read_only else scope.may_change(instance)):
                    raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


class SafeDeleteView(DeleteView):
    """A delete that other records still need is refused with a French message, and nothing changes.

    Wagtail's own guard reads the reference index, which knows only the links of indexed models: an
    organisation holding its Authority (on_delete=PROTECT) was not in it, so deleting that Authority raised
    ProtectedError, a server error. The delete runs in Wagtail's transaction, so its log entry goes too.
    """

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except (ProtectedError, RestrictedError) as error:
            holders = getattr(error, "protected_objects", None) or getattr(error, "restricted_objects", ())
            names = sorted({str(holder) for holder in holders})
            messages.error(
                self.request,
                _("“%(object)s” cannot be deleted: still needed by %(holders)s.")
                % {"object": self.object, "holders": ", ".join(names[:5])},
            )
            return redirect(self.edit_url_name, quote(self.object.pk))


class ScopedSnippetViewSet(ScopedChooserMixin, SnippetViewSet):
    """A snippet viewset that shows and opens only what the user's organisation answers for."""

    delete_view_class = SafeDeleteView

    #: The listing's search box matches a word inside the `search_fields` through the ORM (icontains, which
    #: the trigram indexes serve on PostgreSQL): the search backend cannot restrict a search to given
    #: fields on SQLite (its full-text table has no "name" column), so every listing search failed there.
    search_backend_name = None

    @property
    def permission_policy(self):
        return ScopedPermissionPolicy(self.model)

    def get_queryset(self, request):
        return scope_for(request.user).visible(self.model)

    def get_urlpatterns(self):
        patterns = super().get_urlpatterns()
        for pattern in patterns:
            if "<" in str(pattern.pattern):
                # Only the inspect view shows without changing: any other object URL needs the right to edit.
                read_only = pattern.name == "inspect"
                pattern.callback = guard_object(pattern.callback, self.model, read_only=read_only)
        return patterns


class AuthorityViewSet(ScopedSnippetViewSet):
    model = Authority
    icon = "home"
    menu_label = _("French authorities")
    list_display = ["name", "kind", "region", "departement", "code"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "code"]
    chooser_search_fields = ("name", "code")
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("code")]),
            FieldRowPanel([FieldPanel("region"), FieldPanel("departement")]),
            FieldRowPanel([FieldPanel("website"), FieldPanel("population")]),
            FieldPanel("logo"),
            FieldPanel("networks"),
            LocalLeafletPanel("location"),
        ],
        base_form_class=ScopedAdminForm,
    )


class PartnerAuthorityViewSet(ScopedSnippetViewSet):
    model = PartnerAuthority
    icon = "globe"
    menu_label = _("Partner authorities")
    list_display = ["name", "country", "level"]
    list_filter = ["level", "country__continent"]
    search_fields = ["name"]
    chooser_search_fields = ("name", "country__name")
    chooser_select_related = ("country",)
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("confirm_new_partner"),
            FieldRowPanel([FieldPanel("country"), FieldPanel("level")]),
            LocalLeafletPanel("location"),
        ],
        base_form_class=PartnerAuthorityAdminForm,
    )


class CooperationDeleteView(SafeDeleteView):
    @property
    def confirmation_message(self):
        count = self.object.projects.count()
        return ngettext(
            "Delete this cooperation? Its %(count)d project sheet goes with it.",
            "Delete this cooperation? Its %(count)d project sheets go with it.",
            count,
        ) % {"count": count}


class CooperationViewSet(ScopedSnippetViewSet):
    model = Cooperation
    delete_view_class = CooperationDeleteView
    icon = "link"
    menu_label = _("Cooperations")
    list_display = ["authority", "partner", "kind", "is_twinning", "since_year"]
    list_filter = ["kind", "is_twinning"]
    chooser_search_fields = ("authority__name", "partner__name", "partner__country__name")
    chooser_select_related = ("authority", "partner__country")
    edit_handler = ObjectList(
        [
            FieldPanel("authority"),
            FieldPanel("partner"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("is_twinning"), FieldPanel("since_year")]),
        ],
        base_form_class=ScopedAdminForm,
    )


class ProjectViewSet(ScopedSnippetViewSet):
    model = Project
    icon = "doc-full"
    menu_label = _("Project sheets")
    list_display = ["title", "cooperation", "status", "start_year"]
    list_filter = ["status", "funding_framework", "themes"]
    search_fields = ["title", "summary"]
    chooser_search_fields = ("title", "cooperation__authority__name", "cooperation__partner__name")
    edit_handler = ObjectList(
        [
            FieldPanel("cooperation"),
            FieldPanel("title"),
            FieldPanel("summary"),
            FieldPanel("description"),
            FieldPanel("themes"),
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("status"), FieldPanel("start_year"), FieldPanel("end_year")])],
                heading=_("Status"),
            ),
            FieldRowPanel([FieldPanel("budget"), FieldPanel("funding_framework")]),
        ],
        base_form_class=ScopedAdminForm,
    )


class ContactViewSet(ScopedSnippetViewSet):
    model = Contact
    icon = "user"
    menu_label = _("Officials and staff")
    list_display = ["__str__", "title", "kind", "authority"]
    list_filter = ["kind"]
    search_fields = ["first_name", "last_name", "title"]
    chooser_search_fields = ("first_name", "last_name", "title")
    edit_handler = ObjectList(
        [
            FieldPanel("authority"),
            FieldRowPanel([FieldPanel("first_name"), FieldPanel("last_name")]),
            FieldPanel("title"),
            FieldRowPanel([FieldPanel("email"), FieldPanel("kind")]),
        ],
        base_form_class=ScopedAdminForm,
    )


class NetworkViewSet(ScopedSnippetViewSet):
    model = Network
    icon = "group"
    menu_label = _("Networks")
    list_display = ["name", "acronym"]
    search_fields = ["name", "acronym"]
    chooser_search_fields = ("name", "acronym")


class ThemeViewSet(ScopedSnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = _("Themes")


class CountryViewSet(ScopedSnippetViewSet):
    model = Country
    icon = "site"
    menu_label = _("Countries")
    list_display = ["name", "code", "continent", "oda_eligible"]
    list_filter = ["continent", "oda_eligible"]
    search_fields = ["name", "code"]
    chooser_search_fields = ("name", "code")


class AtlasViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Atlas")
    menu_icon = "globe"
    menu_order = 200
    items = (
        AuthorityViewSet,
        PartnerAuthorityViewSet,
        CooperationViewSet,
        ProjectViewSet,
        ContactViewSet,
        NetworkViewSet,
        ThemeViewSet,
        CountryViewSet,
    )


register_snippet(AtlasViewSetGroup)


@hooks.register("register_admin_urls")
def register_records_urls():
    return [
        path("atlas/mes-fiches/", admin_views.records_home, name="atlas_records"),
        path(
            "atlas/mes-fiches/<int:authority_id>/confirmer/<str:part>/",
            admin_views.confirm_part,
            name="atlas_confirm_part",
        ),
        path(
            "atlas/actions-exterieures/<int:pk>/convertir/",
            admin_views.convert_external_action,
            name="atlas_convert_external_action",
        ),
    ]


class RecordsMenuItem(MenuItem):
    def is_shown(self, request):
        return scope_for(request.user).is_agent


@hooks.register("register_admin_menu_item")
def register_records_menu_item():
    return RecordsMenuItem(_("My Atlas records"), reverse("atlas_records"), icon_name="globe", order=150)


@hooks.register("register_log_actions")
def register_atlas_log_actions(actions):
    actions.register_action("atlas.part_confirmed", _("Part confirmed"), _("Part confirmed"))
