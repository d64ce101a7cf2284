"""The admin choosers, limited to what the user may choose.

Wagtail's snippet choosers list, search and return every row of a model to anybody with admin access, and its
page chooser lists every page, drafts included. Here the snippet choosers ask the organisation scope
(Scope.choosable: the union of what the user's forms accept), search by name with a plain database filter, and
refuse to return an object outside that set; the page chooser drops the pages not live that the user may not
edit (a member's draft experience, a communication officer's unpublished feature).
"""

from functools import reduce
from operator import or_

from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import CharField, Func, Q, TextField, Value
from django.db.models.functions import Cast
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.auth import require_admin_access
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.views import chooser as page_chooser
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.snippets.views import chooser as snippet_chooser

from portal.core.admin_guards import is_key

from .scope import scope_for


class Unaccent(Func):
    """The text without its accents: PostgreSQL's unaccent extension (search/migrations/0001_french_unaccent),
    on SQLite the function of the same name that portal.core.collation registers on every connection."""

    function = "UNACCENT"
    output_field = CharField()


class ChooserSearchForm(BaseFilterForm):
    """A search box that filters in the database: every scoped model gets one, indexed or not, and it
    finds a word inside a name ("Dakar" in "Commune de Dakar") the same way on SQLite and PostgreSQL."""

    search_fields = ()

    q = forms.CharField(
        label=_("Search term"),
        widget=forms.TextInput(attrs={"placeholder": _("Search")}),
        required=False,
        max_length=100,
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = " ".join(self.cleaned_data.get("q", "").split())
        if query and self.search_fields:
            # Every word must match one of the fields: "Dakar Sénégal" finds the partner Dakar (Sénégal).
            # Accents and case aside: "senegal" finds "Sénégal", "ECOLE" finds "école".
            # Numbers too (an e-APD window's year): PostgreSQL's unaccent() takes text only.
            aliases = {
                f"unaccented_{index}": Unaccent(Cast(field, TextField()))
                for index, field in enumerate(self.search_fields)
            }
            objects = objects.alias(**aliases)
            for word in query.split(" "):
                objects = objects.filter(
                    reduce(or_, (Q(**{f"{alias}__icontains": Unaccent(Value(word))}) for alias in aliases))
                )
            self.is_searching = True
            self.search_query = query
        return objects


class ScopedListMixin:
    """The chooser's listing: only the choosable objects, with a search over `search_fields`."""

    search_fields = ()
    select_related = ()

    def get_object_list(self):
        objects = scope_for(self.request.user).choosable(self.model_class)
        return objects.select_related(*self.select_related) if self.select_related else objects

    def get_filter_form_class(self):
        return type("ChooserSearchForm", (ChooserSearchForm,), {"search_fields": tuple(self.search_fields)})


class ScopedChooseView(ScopedListMixin, snippet_chooser.ChooseView):
    pass


class ScopedChooseResultsView(ScopedListMixin, snippet_chooser.ChooseResultsView):
    pass


class ScopedChosenView(snippet_chooser.SnippetChosenView):
    """A forged chosen/<pk>/ URL answers 404 for an object outside the user's choice, as for a missing one."""

    def get_object(self, pk):
        return scope_for(self.request.user).choosable(self.model_class).get(pk=pk)

    def get(self, request, pk):
        try:
            item = self.get_object(unquote(str(pk)))
        except (ObjectDoesNotExist, ValueError) as error:
            raise Http404 from error
        return self.get_chosen_response(item)


class ScopedChosenMultipleView(snippet_chooser.SnippetChosenMultipleView):
    def get_objects(self, pks):
        pks = [pk for pk in pks if is_key(self.model_class, str(pk))]
        return scope_for(self.request.user).choosable(self.model_class).filter(pk__in=pks)


class ScopedSnippetChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = ScopedChosenView
    chosen_multiple_view_class = ScopedChosenMultipleView
    # Set by the snippet viewset from its `chooser_search_fields` / `chooser_select_related`.
    search_fields = ()
    select_related = ()

    @property
    def choose_view(self):
        return self.construct_view(
            self.choose_view_class,
            icon=self.icon,
            page_title=self.page_title,
            search_tab_label=self.search_tab_label,
            creation_tab_label=self.creation_tab_label,
            search_fields=self.search_fields,
            select_related=self.select_related,
        )

    @property
    def choose_results_view(self):
        return self.construct_view(
            self.choose_results_view_class,
            search_fields=self.search_fields,
            select_related=self.select_related,
        )


class ScopedChooserMixin:
    """For a SnippetViewSet: its chooser lists what Scope.choosable allows, with a search box."""

    chooser_viewset_class = ScopedSnippetChooserViewSet
    chooser_per_page = 20
    #: The fields the chooser's search box looks into (a word inside any of them), and the relations its
    #: rows print (so that a page of results costs one query).
    chooser_search_fields = ("name",)
    chooser_select_related = ()

    @property
    def chooser_viewset(self):
        return self.chooser_viewset_class(
            self.get_chooser_admin_url_namespace(),
            model=self.model,
            url_prefix=self.get_chooser_admin_base_path(),
            icon=self.icon,
            per_page=self.chooser_per_page,
            search_fields=self.chooser_search_fields,
            select_related=self.chooser_select_related,
        )


@hooks.register("construct_page_chooser_queryset")
def hide_pages_the_user_may_not_see(pages, request):
    """Pages not live stay out of the page chooser (browsing and search) unless the user may edit them."""
    editable = PagePermissionPolicy().instances_user_has_permission_for(request.user, "change")
    return pages.filter(Q(live=True) | Q(pk__in=editable.values("pk")))


class ScopedPageChosenMultipleView(page_chooser.ChosenMultipleView):
    """Wagtail's answer to "these pages were chosen" skips the chooser's queryset hook: a forged list of ids
    would return the title and address of any draft. This one answers only with the pages the chooser shows.
    """

    def get(self, request):
        pks = [pk for pk in request.GET.getlist("id") if is_key(Page, pk)]
        pages = hide_pages_the_user_may_not_see(Page.objects.filter(pk__in=pks), request).specific()
        result = [
            {
                "id": page.pk,
                "parentId": page.get_parent().pk,
                "adminTitle": page.get_admin_display_title(),
                "editUrl": reverse("wagtailadmin_pages:edit", args=(page.pk,)),
                "url": page.url,
            }
            for page in pages
        ]
        return self.render_chosen_response(result)


class ScopedPageBrowseView(page_chooser.BrowseView):
    """Browsing the page chooser from a parent page: a parent the chooser would not list (not live, and the
    user may not edit it) is not found, so that its title does not show either."""

    def get_object_list(self):
        # Called once the parent page is known (the URL's, the root, or the common ancestor of a page type).
        if not hide_pages_the_user_may_not_see(Page.objects.filter(pk=self.parent_page.pk), self.request):
            raise Http404
        return super().get_object_list()


# Mounted by portal/urls.py in front of Wagtail's own URLs (hooks can only add admin URLs after Wagtail's).
page_chosen_multiple = require_admin_access(ScopedPageChosenMultipleView.as_view())
page_browse = require_admin_access(ScopedPageBrowseView.as_view())
