"""The base of every django-filter list (Atlas search, Bourse, tourism indexes, rubric archive), rendered by
templates/includes/filter_form.html.

One answer to an invalid filter (a mistyped slug, a year out of range, a month the archive does not hold):
the list is empty, the page answers 200, and the form says in French which filter is wrong, above the fields
and under the faulty one. Never a server error, and never an invalid filter silently ignored, which would
show a list the reader did not ask for."""

import django_filters
from dsfr.forms import DsfrBaseForm

from django.core.cache import cache
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

EMPTY_VALUES = (None, "", [], ())


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

    def fields_version(self):
        """The version of the data the form's choices are made from, when a product's filter set names one
        (its empty fields' HTML is then kept: see field_groups); None renders every field each time."""
        return None

    def field_groups(self):
        """Each visible field as DSFR's group (its label, widget, help and error), for the template.

        A field the reader left empty, without error, is the same for every reader of a language as long as
        its choices' data does not change: with a fields_version, its HTML is kept under that version. The
        Atlas search's form (150 countries, 100 départements, the themes) was otherwise a third of the search
        page's time, rendered again for every search although a search sets one or two fields."""
        fields = self.form.visible_fields()
        version = self.fields_version()
        if version is None:
            return [field.as_field_group() for field in fields]
        prefix = f"filter-fields:{type(self).__module__}.{type(self).__qualname__}:{self.form.prefix}:"
        suffix = f":{self.is_bound}:{get_language()}:{version}"
        keys = {
            field.name: f"{prefix}{field.name}{suffix}"
            for field in fields
            if field.value() in EMPTY_VALUES and not (self.is_bound and field.errors)
        }
        kept = cache.get_many(list(keys.values())) if keys else {}
        groups, made = [], {}
        for field in fields:
            key = keys.get(field.name)
            html = kept.get(key) if key else None
            if html is None:
                html = str(field.as_field_group())
                if key:
                    made[key] = html
            groups.append(mark_safe(html))  # noqa: S308 - the form's own rendering, escaped by its templates
        if made:
            cache.set_many(made, 600)
        return groups


class FormOnly:
    """A plain form shown by templates/includes/filter_form.html like a filter set's (a list filtered by
    hand: the Atlas's country index)."""

    def __init__(self, form):
        self.form = form

    def field_groups(self):
        return [field.as_field_group() for field in self.form.visible_fields()]
