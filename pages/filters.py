"""The rubric archive's filters: month, kind, country and theme, all in the query string (no JavaScript).
An invalid value is answered as every list's (portal.core.filters)."""

import django_filters

from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from atlas.models import Country, Theme
from portal.core.filters import PortalFilterSet

from .models import CountryZoomPage, GoodPracticePage, TestimonyPage, feature_lookup, with_theme

KINDS = {"testimony": TestimonyPage, "country-zoom": CountryZoomPage, "good-practice": GoodPracticePage}


class FeatureFilterSet(PortalFilterSet):
    month = django_filters.ChoiceFilter(label=_("Month"), method="filter_month", empty_label=_("All months"))
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        method="filter_kind",
        empty_label=_("All kinds"),
        choices=[
            ("testimony", _("Testimony")),
            ("country-zoom", _("Country zoom")),
            ("good-practice", _("Good practice")),
        ],
    )
    country = django_filters.ModelChoiceFilter(
        label=_("Country"),
        queryset=Country.objects.none(),
        method="filter_country",
        empty_label=_("All countries"),
        to_field_name="slug",
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"),
        queryset=Theme.objects.none(),
        method="filter_theme",
        empty_label=_("All themes"),
        to_field_name="slug",
    )

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        # Only what the archive holds is offered: no choice leads to an empty list.
        months = sorted(
            {month for month in queryset.values_list("feature_month", flat=True) if month}, reverse=True
        )
        self.filters["month"].extra["choices"] = [
            (month.strftime("%Y-%m"), formats.date_format(month, "F Y")) for month in months
        ]
        self.filters["country"].queryset = Country.objects.filter(
            pk__in=queryset.exclude(feature_country=None).values("feature_country")
        )
        feature_ids = queryset.values("pk")
        used = Q()
        for lookup in feature_lookup("in"):
            used |= Q(**{lookup: feature_ids})
        self.filters["theme"].queryset = Theme.objects.filter(used).distinct()

    def filter_month(self, queryset, name, value):
        year, month = (int(part) for part in value.split("-"))
        return queryset.filter(feature_month__year=year, feature_month__month=month)

    def filter_kind(self, queryset, name, value):
        return queryset.type(KINDS[value])

    def filter_country(self, queryset, name, value):
        return queryset.filter(feature_country=value.pk)

    def filter_theme(self, queryset, name, value):
        return with_theme(queryset, [value.pk])
