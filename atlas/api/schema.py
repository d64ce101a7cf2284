"""drf-spectacular hooks: the published schema describes the Atlas open-data API and nothing else."""

from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.plumbing import follow_field_source

from django.urls import reverse


def open_data_endpoints(endpoints, **kwargs):
    """Only the Atlas API's endpoints (other DRF views, e.g. the Wagtail admin's, stay out of the schema).
    The prefix is reversed in the active language, as the generator's paths are (/en/... in English)."""
    prefix = reverse("atlas_data:api_docs")
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(prefix)]


class SearchFilterExtension(DjangoFilterExtension):
    """The search's parameters as drf-spectacular describes any django-filter FilterSet, except that a filter
    whose field path already ends with its `to_field_name` (the themes, "themes__slug" by slug) is followed
    once: its parameter is then typed from that field instead of defaulting to a string with a warning."""

    priority = 1

    def _get_model_field(self, filter_field, model):
        to_field_name = filter_field.extra.get("to_field_name")
        if to_field_name and (filter_field.field_name or "").endswith(f"__{to_field_name}"):
            return follow_field_source(model, filter_field.field_name.split("__"), emit_warnings=False)
        return super()._get_model_field(filter_field, model)
