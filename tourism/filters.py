"""The filters of the platform's three indexes, all in the query string (no JavaScript): country and theme by
slug, plus the kind of a resource and, for events, upcoming / past / all (upcoming by default).

A bound filter set with an invalid value (an unknown country, a mistyped theme) is answered as every list's
(portal.core.filters): nothing listed, and the form's French error, never a server error."""

import django_filters

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atlas.models import Country
from portal.core.filters import PortalFilterSet
from portal.core.widgets import FastSelect

from .models import EventPage, ExperiencePage, ResourcePage, TourismTheme

UPCOMING, PAST, ALL_DATES = "upcoming", "past", "all"


class TourismFilterSet(PortalFilterSet):
    country = django_filters.ModelChoiceFilter(
        label=_("Country"),
        field_name="country",
        to_field_name="slug",
        queryset=Country.objects.none(),
        empty_label=_("All countries"),
        widget=FastSelect,
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"),
        field_name="themes",
        to_field_name="slug",
        queryset=TourismTheme.objects.all(),
        empty_label=_("All themes"),
        widget=FastSelect,
    )

    class Meta(PortalFilterSet.Meta):
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        # Only the countries the index holds are offered: no country leads to an empty list.
        self.filters["country"].queryset = Country.objects.filter(
            pk__in=queryset.order_by().values("country")
        ).only("slug", "name")


class ExperienceFilterSet(TourismFilterSet):
    class Meta(TourismFilterSet.Meta):
        model = ExperiencePage


class ResourceFilterSet(TourismFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ResourcePage.Kind.choices, empty_label=_("All kinds"), widget=FastSelect
    )

    class Meta(TourismFilterSet.Meta):
        model = ResourcePage


def upcoming_q(today=None):
    """Events that have not ended: they start today or later, or they end today or later."""
    today = today or timezone.localdate()
    return Q(start_date__gte=today) | Q(end_date__gte=today)


class EventFilterSet(TourismFilterSet):
    when = django_filters.ChoiceFilter(
        label=_("Dates"),
        choices=[(UPCOMING, _("Upcoming events")), (PAST, _("Past events")), (ALL_DATES, _("All events"))],
        empty_label=None,
        method="filter_when",
        widget=FastSelect,
    )

    class Meta(TourismFilterSet.Meta):
        model = EventPage

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # No choice means upcoming events, the first option of the list.
        if not self.form.cleaned_data.get("when"):
            queryset = self.filter_when(queryset, "when", UPCOMING)
        return queryset

    def filter_when(self, queryset, name, value):
        if value == UPCOMING:
            return queryset.filter(upcoming_q()).order_by("start_date", "end_date", "title")
        if value == PAST:
            queryset = queryset.exclude(upcoming_q())
        return queryset.order_by("-start_date", "title")
