"""The filters of the national development aid views (django-filter), on the FILED lines and on the
authorities asked to declare."""

import django_filters

from django import forms
from django.utils.translation import gettext_lazy as _

from atlas.models import Authority, Country
from portal.core.territories import DEPARTEMENT_CHOICES, REGION_CHOICES

from . import codes
from .models import AidLine

YEAR_FIELD = {"min_value": 1990, "max_value": 2100}


class NationalFilterSet(django_filters.FilterSet):
    """Filters of the national totals and breakdowns. `year` chooses the year of the breakdown only (the
    totals by year keep every year): the views read it from the cleaned data."""

    year = django_filters.NumberFilter(label=_("Year of the breakdown"), method="keep", **YEAR_FIELD)
    region = django_filters.ChoiceFilter(
        label=_("Région"),
        field_name="declaration__authority__region",
        choices=REGION_CHOICES,
        empty_label=_("All régions"),
    )
    departement = django_filters.ChoiceFilter(
        label=_("Département"),
        field_name="declaration__authority__departement",
        choices=DEPARTEMENT_CHOICES,
        empty_label=_("All départements"),
    )
    authority_kind = django_filters.ChoiceFilter(
        label=_("Kind of authority"),
        field_name="declaration__authority__kind",
        choices=Authority.Kind.choices,
        empty_label=_("All kinds of authority"),
    )
    country = django_filters.ModelChoiceFilter(
        label=_("Recipient country"),
        field_name="country",
        to_field_name="code",
        queryset=Country.objects.filter(oda_eligible=True).only("code", "name"),
        empty_label=_("All countries"),
    )
    sector = django_filters.ChoiceFilter(
        label=_("DAC sector"),
        choices=[(code, f"{code} – {label}") for code, label in codes.SECTOR_NAMES.items()],
        method="filter_sector",
        empty_label=_("All sectors"),
    )
    channel = django_filters.ChoiceFilter(
        label=_("Channel"), field_name="channel", choices=codes.CHANNEL_CHOICES, empty_label=_("All channels")
    )

    class Meta:
        model = AidLine
        fields = []

    def keep(self, queryset, name, value):
        return queryset

    def filter_sector(self, queryset, name, value):
        # A DAC sector is the first 3 digits of its CRS purpose codes.
        return queryset.filter(purpose__startswith=value)

    def authority_filters(self):
        """The cleaned filters that are about the declaring authority (they also apply to the "no aid"
        declarations, which have no line), as keyword arguments on AidDeclaration."""
        data = self.form.cleaned_data
        names = {
            "region": "authority__region",
            "departement": "authority__departement",
            "authority_kind": "authority__kind",
        }
        return {lookup: data[name] for name, lookup in names.items() if data.get(name)}

    def line_filters_active(self):
        data = self.form.cleaned_data
        return any(data.get(name) for name in ("country", "sector", "channel"))


class DeclarersFilterSet(django_filters.FilterSet):
    """Filters of "who has declared": on `national.declarers()`' annotated authorities."""

    STATUS_CHOICES = (
        ("filed", _("filed")),
        ("draft", _("draft, not filed")),
        ("none", _("not started")),
        ("late", _("not filed (draft or not started)")),
    )

    q = django_filters.CharFilter(label=_("Name"), field_name="name", lookup_expr="icontains", max_length=100)
    region = django_filters.ChoiceFilter(
        label=_("Région"), choices=REGION_CHOICES, empty_label=_("All régions")
    )
    departement = django_filters.ChoiceFilter(
        label=_("Département"), choices=DEPARTEMENT_CHOICES, empty_label=_("All départements")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of authority"), choices=Authority.Kind.choices, empty_label=_("All kinds of authority")
    )
    status = django_filters.ChoiceFilter(
        label=_("Declaration"), choices=STATUS_CHOICES, method="filter_status", empty_label=_("All")
    )

    class Meta:
        model = Authority
        fields = []
        form = forms.Form

    def filter_status(self, queryset, name, value):
        if value == "filed":
            return queryset.filter(has_filed=True)
        if value == "draft":
            return queryset.filter(has_filed=False, has_draft=True)
        if value == "none":
            return queryset.filter(has_filed=False, has_draft=False)
        return queryset.filter(has_filed=False)
