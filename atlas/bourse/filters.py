"""The filters of the Bourse-projets list and map: country, continent, theme, status and budget range."""

import django_filters

from django import forms
from django.utils.translation import gettext_lazy as _

from atlas.filters import LocalNameChoiceFilter, continent_filter, theme_filter
from atlas.models import Country
from portal.core.filters import PortalFilterSet
from portal.core.widgets import FastSelect

from .models import BourseProject

MAX_BUDGET = 10**12 - 1  # the model's twelve digits
BUDGET_WIDGET = forms.NumberInput(attrs={"min": 0, "step": 1000})
PUBLIC_STATUSES = [
    (BourseProject.Status.OPEN.value, BourseProject.Status.OPEN.label),
    (BourseProject.Status.IN_DISCUSSION.value, BourseProject.Status.IN_DISCUSSION.label),
]


class BourseFilterSet(PortalFilterSet):
    country = LocalNameChoiceFilter(
        label=_("Country"),
        field_name="country",
        to_field_name="slug",
        queryset=Country.objects.filter(bourse_projects__isnull=False)
        .distinct()
        .only("slug", "name", "code"),
        empty_label=_("All countries"),
        widget=FastSelect,
    )
    continent = continent_filter("country__continent")
    theme = theme_filter("themes__slug")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=PUBLIC_STATUSES, empty_label=_("Open or in discussion"), widget=FastSelect
    )
    budget_min = django_filters.NumberFilter(
        label=_("Minimum budget (euros)"),
        field_name="budget",
        lookup_expr="gte",
        widget=BUDGET_WIDGET,
        min_value=0,
        max_value=MAX_BUDGET,
    )
    budget_max = django_filters.NumberFilter(
        label=_("Maximum budget (euros)"),
        field_name="budget",
        lookup_expr="lte",
        widget=BUDGET_WIDGET,
        min_value=0,
        max_value=MAX_BUDGET,
    )

    class Meta(PortalFilterSet.Meta):
        model = BourseProject
        fields = []

    def is_valid(self):
        if super().is_valid():
            data = self.form.cleaned_data
            low, high = data.get("budget_min"), data.get("budget_max")
            if low is not None and high is not None and low > high:
                self.form.add_error("budget_max", _("The maximum budget is below the minimum budget."))
        return self.form.is_valid()


def bourse_queryset():
    """The visible projects with what a list row, a map point or an export line shows."""
    return (
        BourseProject.objects.visible()
        .select_related("partner", "country", "embassy")
        .prefetch_related("themes")
        .order_by("-created_at", "title")
    )
