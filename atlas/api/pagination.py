"""Pages of the API's project list: `page` and `page_size` as the API has always read them.

A page number or size that is not a whole number greater than zero is an error (400) rather than silently
replaced by the default, a page past the last one is a 404, and the next/previous links keep the query string
in the order the client wrote it, only the page number changed."""

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

from django.utils.translation import gettext_lazy as _


class ProjectPagination(PageNumberPagination):
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    page_query_description = _("Number of the page, from 1.")
    page_size_query_description = _("Number of projects per page, 50 by default, at most 200.")
    template = None

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        errors = {}
        page_number = self.positive_int(request, self.page_query_param, 1, errors)
        page_size = self.positive_int(request, self.page_size_query_param, self.page_size, errors)
        if errors:
            raise ValidationError(errors)
        paginator = self.django_paginator_class(queryset, min(page_size, self.max_page_size))
        # Page 1 of an empty result exists (an empty list); any other page must hold projects.
        if page_number > max(paginator.num_pages, 1):
            raise NotFound(_("This page does not exist."))
        self.page = paginator.page(page_number)
        return list(self.page)

    @staticmethod
    def positive_int(request, name, default, errors):
        value = request.query_params.get(name)
        if value in (None, ""):
            return default
        try:
            number = int(value)
        except ValueError:
            number = 0
        if number < 1:
            errors[name] = [_("Enter a whole number greater than zero.")]
        return number

    def page_link(self, number):
        query = self.request.query_params.copy()
        query[self.page_query_param] = number
        return self.request.build_absolute_uri(f"{self.request.path}?{query.urlencode()}")

    def get_next_link(self):
        return self.page_link(self.page.next_page_number()) if self.page.has_next() else None

    def get_previous_link(self):
        return self.page_link(self.page.previous_page_number()) if self.page.has_previous() else None

    def get_paginated_response_schema(self, schema):
        response_schema = super().get_paginated_response_schema(schema)
        properties = response_schema["properties"]
        properties["next"]["example"] = "https://example.org/donnees/api/projets/?page=3"
        properties["previous"]["example"] = "https://example.org/donnees/api/projets/?page=1"
        return response_schema
