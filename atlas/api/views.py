"""The read-only JSON API of the Atlas, its OpenAPI 3 schema and its documentation page.

The list is filtered by the advanced search's own FilterSet (atlas/filters.py), so a query string of the
search gives the same projects here. Open data: no credentials are read (no session, no password), any site
may call it from a browser, and every answer is JSON: the results, {"errors": {parameter: [messages]}} with
status 400 for invalid parameters, or {"detail": message} with status 404."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.renderers import (
    OpenApiJsonRenderer,
    OpenApiJsonRenderer2,
    OpenApiYamlRenderer,
    OpenApiYamlRenderer2,
)
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.views import exception_handler

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from ..filters import ProjectFilterSet, project_queryset
from . import schema  # noqa: F401  (registers the schema extension of the search filters)
from .pagination import ProjectPagination
from .serializers import ProjectSerializer

ERRORS = inline_serializer(
    "Errors",
    {
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            help_text=_("The messages of each invalid parameter, by parameter name."),
        )
    },
)
DETAIL = inline_serializer("Detail", {"detail": serializers.CharField()})


def open_data_exception_handler(exc, context):
    """DRF's answer, the messages of invalid parameters under "errors" as the API has always given them."""
    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, ValidationError):
        response.data = {"errors": response.data}
    return response


class AnonymousMixin:
    # Anonymous and read-only: no authentication means no session or Authorization header is ever read.
    authentication_classes = []
    permission_classes = [AllowAny]


class OpenDataMixin(AnonymousMixin):
    def get_exception_handler(self):
        return open_data_exception_handler

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Open data: any site may read it from the browser (no credentials are involved).
        response["Access-Control-Allow-Origin"] = "*"
        return response


class JSONOnly(BaseContentNegotiation):
    """Always JSON, whatever the Accept header or a `format` parameter ask (as the API has always answered):
    a client asking for something else still gets the data rather than a 406 or a 404."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ProjectList(OpenDataMixin, generics.ListAPIView):
    serializer_class = ProjectSerializer
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JSONOnly
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProjectFilterSet
    pagination_class = ProjectPagination

    def get_queryset(self):
        return project_queryset()

    @extend_schema(
        operation_id="projects_list",
        summary=_("Projects"),
        description=_(
            "The projects of the Atlas, newest first unless `sort` says otherwise, a page at a time. The "
            "parameters are those of the Atlas advanced search: a search's address gives the same projects."
        ),
        responses={
            200: ProjectSerializer(many=True),
            400: OpenApiResponse(ERRORS, description=_("A parameter is invalid.")),
            404: OpenApiResponse(DETAIL, description=_("The page does not exist.")),
        },
        tags=["projets"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ProjectDetail(OpenDataMixin, generics.RetrieveAPIView):
    serializer_class = ProjectSerializer
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JSONOnly
    filter_backends = []

    def get_queryset(self):
        return project_queryset()

    def get_object(self):
        # An identifier beyond the database's integers matches no row (Django answers "none" without asking).
        try:
            return super().get_object()
        except Http404:
            raise NotFound(_("No project has this identifier.")) from None

    @extend_schema(
        operation_id="projects_retrieve",
        summary=_("One project"),
        description=_("The project with this identifier (the number in the address of its sheet)."),
        responses={
            200: ProjectSerializer,
            404: OpenApiResponse(DETAIL, description=_("No project has this identifier.")),
        },
        tags=["projets"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class SchemaView(OpenDataMixin, SpectacularAPIView):
    """The OpenAPI 3 schema, JSON by default (`?format=yaml` for YAML), in the visitor's language."""

    # application/json first: what a browser or a client that accepts anything gets.
    renderer_classes = [OpenApiJsonRenderer2, OpenApiJsonRenderer, OpenApiYamlRenderer, OpenApiYamlRenderer2]

    def _get_filename(self, request, version):
        # An ASCII name: the title may hold characters an HTTP header cannot carry.
        return f"atlas-api.{self.perform_content_negotiation(request, force=True)[0].format}"


class DocsView(AnonymousMixin, SpectacularSwaggerSplitView):
    """Swagger UI from our own static files (drf-spectacular-sidecar); its start script is a separate file."""

    template_name = "atlas/api/docs.html"
    url_name = "atlas_data:api_schema"
    title = _("Atlas API documentation")
