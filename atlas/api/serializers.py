"""A project as the API gives it: the columns of every export (atlas/exports/schema.py), in their order.

The values are those of `project_record`, so the API, the CSV, the spreadsheet and the GeoJSON always agree;
the serializer's fields exist to describe them in the OpenAPI schema (type, nullability, allowed values)."""

from rest_framework import serializers

from ..exports.schema import COLUMNS, project_record, project_url_template
from ..models import Authority, Cooperation, Project

FIELD_CLASSES = {
    "integer": serializers.IntegerField,
    "number": serializers.FloatField,
    "string": serializers.CharField,
    "boolean": serializers.BooleanField,
}
# Columns that are null when the value is unknown (the others always have a value, maybe an empty string).
NULLABLE = {
    "end_year",
    "budget",
    "authority_latitude",
    "authority_longitude",
    "partner_latitude",
    "partner_longitude",
}
# Columns holding a code from a closed list: the schema lists the codes.
CHOICES = {
    "status": Project.Status.choices,
    "funding_framework": Project.Framework.choices,
    "cooperation_kind": Cooperation.Kind.choices,
    "authority_kind": Authority.Kind.choices,
}


def column_field(name, kind, description):
    options = {"read_only": True, "help_text": description, "allow_null": name in NULLABLE}
    if name in CHOICES:
        return serializers.ChoiceField(choices=CHOICES[name], **options)
    if name == "url":
        return serializers.URLField(**options)
    return FIELD_CLASSES[kind](**options)


class ProjectSerializer(serializers.Serializer):
    """One project of the Atlas."""

    def get_fields(self):
        return {name: column_field(name, kind, description) for name, kind, description in COLUMNS}

    def to_representation(self, instance):
        request = self.context["request"]
        # Once per request (the list serialises many projects), kept on the request.
        if not hasattr(request, "_project_url_template"):
            request._project_url_template = project_url_template(request)
        return project_record(instance, request._project_url_template)
