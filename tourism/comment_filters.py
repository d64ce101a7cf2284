"""The filters of the comments' listing in the admin: by status, and those awaiting a moderator."""

import django_filters

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.widgets import BooleanRadioSelect

from .models import ExperienceComment


class CommentFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("status"),
        choices=ExperienceComment.Status.choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    awaiting = django_filters.BooleanFilter(
        label=_("Awaiting a moderator"), method="filter_awaiting", widget=BooleanRadioSelect
    )

    class Meta:
        model = ExperienceComment
        fields = ["status", "awaiting"]

    def filter_awaiting(self, queryset, name, value):
        awaiting = ExperienceComment.objects.awaiting_moderator().values("pk")
        return queryset.filter(pk__in=awaiting) if value else queryset.exclude(pk__in=awaiting)
