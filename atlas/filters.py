"""The Atlas advanced search: one FilterSet behind the result list and map, every export and the API."""

import hashlib

import django_filters
from django_filters.fields import ModelChoiceField, ModelChoiceIterator, ModelMultipleChoiceField

from django import forms
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from portal.core.collation import french_key
from portal.core.filters import PortalFilterSet
from portal.core.territories import DEPARTEMENT_CHOICES, REGION_CHOICES
from portal.core.text_search import matching, search_terms, significant_terms
from portal.core.widgets import FastSelect

from .geography import CONTINENTS
from .models import Authority, Cooperation, Country, Network, PartnerAuthority, Project, Theme
from .models.records import local_sort_key
from .queries import atlas_version, cached

YEAR_WIDGET = forms.NumberInput(attrs={"min": 1950, "max": 2100})


class LocalNameIterator(ModelChoiceIterator):
    """Countries' and themes' choices labelled in the visitor's language (their __str__) and sorted in it:
    the database sorts their French names only."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        choices = [self.choice(obj) for obj in self.queryset]
        yield from sorted(choices, key=lambda choice: local_sort_key(str(choice[1])))


class LocalNameChoiceField(ModelChoiceField):
    iterator = LocalNameIterator


class LocalNameMultipleChoiceField(ModelMultipleChoiceField):
    iterator = LocalNameIterator


class LocalNameChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = LocalNameChoiceField


class LocalNameMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = LocalNameMultipleChoiceField


def continent_filter(field_name):
    return django_filters.ChoiceFilter(
        label=_("Continent"),
        field_name=field_name,
        # A callable: sorted when a form is made, in the visitor's language.
        choices=lambda: sorted(CONTINENTS.items(), key=lambda item: french_key(str(item[1]))),
        empty_label=_("All continents"),
        widget=FastSelect,
    )


class ThemeFilter(LocalNameMultipleChoiceFilter):
    """Rows with any of the chosen themes, found by a subquery on the same model rather than by a join
    to the themes: a join repeats a row for each of its themes and needs a DISTINCT over every column, which
    at ten times the 2012 Atlas made a search and its count sort or hash a hundred thousand rows."""

    def filter(self, qs, value):
        if not value:
            return qs
        # "themes__slug": the many-to-many table's rows whose theme has one of the slugs, by their row key.
        relation_name, lookup = self.field_name.split("__", 1)
        relation = qs.model._meta.get_field(relation_name)
        links = relation.remote_field.through.objects.filter(
            **{f"{relation.m2m_reverse_field_name()}__{lookup}__in": [theme.slug for theme in value]}
        )
        return qs.filter(pk__in=links.values(relation.m2m_column_name()))


def theme_filter(field_name):
    """Themes by slug, as checkboxes; `field_name` ends with the slug lookup, e.g. "themes__slug"."""
    return ThemeFilter(
        label=_("Themes"),
        field_name=field_name,
        to_field_name="slug",
        queryset=Theme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )


class ProjectFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(label=_("Keywords"), method="filter_keywords", max_length=200)
    authority = django_filters.CharFilter(
        label=_("French authority"),
        field_name="cooperation__authority__name",
        lookup_expr="icontains",
        max_length=200,
    )
    authority_kind = django_filters.ChoiceFilter(
        label=_("Kind of authority"),
        field_name="cooperation__authority__kind",
        choices=Authority.Kind.choices,
        empty_label=_("All kinds of authority"),
        widget=FastSelect,
    )
    region = django_filters.ChoiceFilter(
        label=_("Région"),
        field_name="cooperation__authority__region",
        choices=REGION_CHOICES,
        empty_label=_("All régions"),
        widget=FastSelect,
    )
    departement = django_filters.ChoiceFilter(
        label=_("Département"),
        field_name="cooperation__authority__departement",
        choices=DEPARTEMENT_CHOICES,
        empty_label=_("All départements"),
        widget=FastSelect,
    )
    country = LocalNameChoiceFilter(
        label=_("Country"),
        field_name="cooperation__partner__country",
        to_field_name="slug",
        # The countries that have a partner: one index probe per country (142), where a join to the partners
        # and a DISTINCT read every partner (a hundred milliseconds at ten times the 2012 Atlas).
        queryset=Country.objects.filter(Exists(PartnerAuthority.objects.filter(country=OuterRef("pk")))).only(
            "slug", "name", "code"
        ),
        empty_label=_("All countries"),
        widget=FastSelect,
    )
    continent = continent_filter("cooperation__partner__country__continent")
    # A network's members' projects, by the network's number: the "See in the Atlas" link of a network's
    # embedded map (atlas/embed.py) and the open data. Kept out of the form's fields (a hidden input costs the
    # search page no query for a list of networks).
    network = django_filters.ModelChoiceFilter(
        label=_("Network (its number)"),
        field_name="cooperation__authority__networks",
        queryset=Network.objects.all(),
        widget=forms.HiddenInput,
        distinct=True,
    )
    partner = django_filters.CharFilter(
        label=_("Partner authority"),
        field_name="cooperation__partner__name",
        lookup_expr="icontains",
        max_length=200,
    )
    theme = theme_filter("themes__slug")
    # A column of the project itself: no join, so no DISTINCT (django-filter adds one by default).
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Project.Status.choices, widget=forms.CheckboxSelectMultiple, distinct=False
    )
    twinning = django_filters.BooleanFilter(
        label=_("Twinning"),
        field_name="cooperation__is_twinning",
        widget=forms.Select(choices=[("", _("Either")), ("true", _("Yes")), ("false", _("No"))]),
    )
    cooperation_kind = django_filters.ChoiceFilter(
        label=_("Cooperation or external action"),
        field_name="cooperation__kind",
        choices=Cooperation.Kind.choices,
        empty_label=_("Cooperations and other external actions"),
        widget=FastSelect,
    )
    year_from = django_filters.NumberFilter(
        label=_("Active from (year)"), method="filter_year_from", widget=YEAR_WIDGET
    )
    year_to = django_filters.NumberFilter(
        label=_("Active until (year)"), method="filter_year_to", widget=YEAR_WIDGET
    )
    framework = django_filters.ChoiceFilter(
        label=_("Funding framework"),
        field_name="funding_framework",
        choices=[choice for choice in Project.Framework.choices if choice[0]],
        empty_label=_("All funding frameworks"),
        widget=FastSelect,
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        # No choice keeps the list's own order (newest first, then by title).
        empty_label=_("Newest first (default)"),
        fields=[
            ("title", "title"),
            ("start_year", "year"),
            ("cooperation__authority__name", "authority"),
            ("cooperation__partner__country__name", "country"),
        ],
        field_labels={
            "title": _("Title"),
            "start_year": _("Oldest first"),
            "cooperation__authority__name": _("French authority"),
            "cooperation__partner__country__name": _("Country"),
            # django-filter looks the descending labels up by parameter name ("-year"), not by field.
            "-title": _("Title (Z to A)"),
            "-year": _("Newest first"),
            "-authority": _("French authority (Z to A)"),
            "-country": _("Country (Z to A)"),
        },
    )

    class Meta(PortalFilterSet.Meta):
        model = Project
        fields = []

    def fields_version(self):
        return atlas_version()  # the countries and themes offered are Atlas records

    def filter_keywords(self, queryset, name, value):
        """Every word must be a word of the project (title, summary, description) or of its authority's,
        partner's or partner's country's name, matched as the site search matches it (one index, so both
        agree): whole words, accents ignored ("velo" finds "vélo", never "développement"; "eau" never
        "Bordeaux"). Each record's entry is looked up from the project row (see text_search.matching), so a
        page of results is found without matching every record of a common word first."""
        for word in significant_terms(search_terms(value)[:10]):
            queryset = queryset.filter(
                matching(Project, word)
                | matching(Authority, word, "cooperation__authority_id")
                | matching(PartnerAuthority, word, "cooperation__partner_id")
            )
        return queryset

    def filter_year_from(self, queryset, name, value):
        return queryset.filter(Q(end_year__isnull=True) | Q(end_year__gte=value))

    def filter_year_to(self, queryset, name, value):
        return queryset.filter(start_year__lte=value)

    def clean_years(self):
        data = self.form.cleaned_data
        if data.get("year_from") and data.get("year_to") and data["year_from"] > data["year_to"]:
            self.form.add_error("year_to", _("The end of the period comes before its start."))

    def is_valid(self):
        valid = super().is_valid()
        if valid:
            self.clean_years()
        return self.form.is_valid()

    def active_filters(self):
        """(label, value) pairs of the filters in use, for the PDF header and the result summary."""
        if not self.is_bound or not self.is_valid():
            return []
        shown = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, "", []) or name == "sort" or (hasattr(value, "exists") and not value):
                continue
            field = self.form.fields[name]
            if hasattr(value, "__iter__") and not isinstance(value, str):
                choices = dict(getattr(field, "choices", []))
                value = ", ".join(str(choices.get(v, v)) for v in value)
            elif getattr(field, "choices", None) and not hasattr(value, "pk"):
                value = dict(field.choices).get(value, value)
            shown.append((field.label, value))
        return shown


class SearchPaginator(Paginator):
    """The pages of a search, its count kept per Atlas version and search (`key`: its filters, see
    queries.filters_key), as its map's bounds are: a page reads twenty rows through the list's own index,
    but the count reads every match (a third of the projects for "eau" at ten times the 2012 Atlas), and a
    search is asked again when it is shared, paged through or refined."""

    def __init__(self, object_list, per_page, key, known_count=None):
        super().__init__(object_list, per_page)
        self.key = key
        self.known_count = known_count  # from the search's summary (queries.search_summary), when it has one

    @cached_property
    def count(self):
        if self.known_count is not None:
            return self.known_count
        digest = hashlib.sha256(self.key.encode()).hexdigest()[:16]
        return cached(f"search-count:{digest}", lambda: Paginator.count.func(self))


def project_queryset():
    """Projects with what a result row shows, in a constant number of queries."""
    return Project.objects.select_related(
        "cooperation__authority", "cooperation__partner__country"
    ).prefetch_related("themes")
