"""The base of every django-filter list (Atlas search, Bourse, tourism indexes, rubric archive), rendered by
templates/includes/filter_form.html.

One answer to an invalid filter (a mistyped slug, a year out of range, a month the archive does not hold):
the list is empty, the page answers 200, and the form says in French which filter is wrong, above the fields
and under the faulty one. Never a server error, and never an invalid filter silently ignored, which would
show a list the reader did not ask for."""

import django_filters
from dsfr.forms import DsfrBaseForm


class PortalFilterSet(django_filters.FilterSet):
    class Meta:
        form = DsfrBaseForm

    @property
    def filtered(self):
        """Whether the reader chose any filter (the page then offers to reset them)."""
        return self.is_bound and any(self.data.get(name) for name in self.filters)

    @property
    def qs(self):
        if not self.is_bound or self.is_valid():
            return super().qs
        return self.queryset.none()
