"""The extranet in the Wagtail admin and on the site's pages.

- The Délégation manages organisations and decides on membership requests (menu "Extranet"); nobody else
  sees these menus or may open their URLs.
- A logged-in visitor without the group a members-only page asks for is told who the page is for and how to
  join, with a 403, instead of being sent to the login page (which sends a logged-in visitor back: a loop).
"""

from django.contrib import messages
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import PageViewRestriction
from wagtail.permission_policies.base import BasePermissionPolicy

from . import services
from .forms import DecisionForm
from .models import Membership, Organisation
from .scope import scope_for

# Members-only pages ---------------------------------------------------------------------------------------


@hooks.register("before_serve_page")
def explain_members_only_page(page, request, serve_args, serve_kwargs):
    """A logged-in visitor outside the page's groups gets a French explanation (403), never the login page.

    Anonymous visitors and password restrictions are left to Wagtail's own check (login or password form)."""
    if not request.user.is_authenticated:
        return None
    for restriction in page.get_view_restrictions():
        is_groups = restriction.restriction_type == PageViewRestriction.GROUPS
        if is_groups and not restriction.accept_request(request):
            response = TemplateResponse(
                request,
                "accounts/members_only.html",
                {"restricted_page": page, "groups": restriction.groups.order_by("name")},
                status=403,
            )
            add_never_cache_headers(response)
            return response
    return None


# The Délégation's menus ------------------------------------------------------------------------------------


class DelegationPermissionPolicy(BasePermissionPolicy):
    """Every allowed action is the Délégation's alone (superusers and the Délégation administrators)."""

    actions = {"add", "change", "delete", "view"}

    def user_has_permission(self, user, action):
        return action in self.actions and scope_for(user).is_delegation

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def instances_user_has_permission_for(self, user, action):
        manager = self.model._default_manager
        return manager.all() if self.user_has_permission(user, action) else manager.none()

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(is_active=True, is_superuser=True)


class MembershipPermissionPolicy(DelegationPermissionPolicy):
    # A membership changes only through a decision (services.decide), which also sets the group and e-mails
    # the member: no generic form may add, edit or delete one.
    actions = {"view"}


class DelegationViewSetMixin:
    add_to_reference_index = False

    @property
    def permission_policy(self):
        return self.permission_policy_class(self.model)

    def get_permissions_to_register(self):
        # Nothing to grant in the group settings: these menus follow the Délégation's group itself.
        return Permission.objects.none()


class OrganisationViewSet(DelegationViewSetMixin, ModelViewSet):
    model = Organisation
    permission_policy_class = DelegationPermissionPolicy
    name = "organisations"
    url_prefix = "extranet/organisations"
    icon = "group"
    menu_label = gettext_lazy("Organisations")
    list_display = ["name", "kind", "authority", "region", "departement"]
    list_filter = ["kind"]
    search_fields = ["name"]
    search_backend_name = None
    ordering = ["name"]
    copy_view_enabled = False
    inspect_view_enabled = True
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
            # Authority is a snippet: a chooser, not a select of thousands of authorities.
            FieldPanel("authority"),
            FieldPanel("countries"),
            FieldRowPanel([FieldPanel("region"), FieldPanel("departement")]),
        ]
    )


class DecideColumn(Column):
    """The request's state, with a link to decide on it while it waits."""

    cell_template_name = "accounts/admin/decide_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["membership"] = instance
        context["decide_url"] = (
            reverse("memberships:decide", args=[instance.pk])
            if instance.status == Membership.Status.PENDING
            else ""
        )
        return context


class MembershipViewSet(DelegationViewSetMixin, ModelViewSet):
    model = Membership
    permission_policy_class = MembershipPermissionPolicy
    name = "memberships"
    url_prefix = "extranet/adhesions"
    icon = "user"
    menu_label = gettext_lazy("Membership requests")
    list_display = [
        "user",
        "organisation",
        "role",
        "requested_at",
        DecideColumn("status", accessor="get_status_display", label=gettext_lazy("Status")),
    ]
    list_filter = ["status", "organisation__kind"]
    search_fields = ["user__username", "user__last_name", "organisation__name"]
    search_backend_name = None
    ordering = ["-requested_at"]
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = ["role"]  # never shown: no generic add or edit view is reachable (see the policy)

    @property
    def menu_url(self):
        # What the Délégation comes for: the requests that wait for a decision.
        return reverse(self.get_url_name("index")) + "?status=pending"

    def get_urlpatterns(self):
        return [
            *(p for p in super().get_urlpatterns() if p.name not in ("add", "edit", "delete")),
            path("<int:pk>/decider/", decide_membership, name="decide"),
        ]


def decide_membership(request, pk):
    """The Délégation approves or refuses a request, through the same service as the managers' dashboard."""
    if not scope_for(request.user).is_delegation:
        raise PermissionDenied
    membership = get_object_or_404(Membership.objects.select_related("user", "organisation"), pk=pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if membership.status != Membership.Status.PENDING:
            messages.error(request, _("This request is already decided."))
            return redirect("memberships:index")
        if form.is_valid():
            # decide() refuses (PermissionDenied) a Délégation member deciding on their own request.
            services.decide(membership, request.user, form.cleaned_data["decision"] == "approve", request)
            messages.success(request, _("Decision recorded; the member is told by e-mail."))
            return redirect(reverse("memberships:index") + "?status=pending")
    return TemplateResponse(
        request,
        "accounts/admin/decide.html",
        {
            "membership": membership,
            "pending": membership.status == Membership.Status.PENDING,
            "own_request": membership.user_id == request.user.pk,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


class ExtranetViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Extranet")
    menu_icon = "group"
    menu_order = 900
    items = (OrganisationViewSet, MembershipViewSet)


@hooks.register("register_admin_viewset")
def register_extranet_viewsets():
    return ExtranetViewSetGroup()
