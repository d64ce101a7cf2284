"""Open data of the Bourse-projets: the visible projects as CSV and JSON, with their documented schema.

The Bourse's columns, in order: (column, type, description), as the Atlas schema (atlas/exports/schema.py),
so the Atlas export writers (atlas/exports/tabular.py) stream both. Types follow the Table Schema vocabulary
(integer, number, string, boolean); an empty cell means unknown.

Both exports take the filters of the Bourse page (country, continent, theme, status, budget range); their
addresses (/donnees/bourse/projets.csv and .json, in the "atlas_data" namespace) are in export_urls.py."""

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from atlas.exports.tabular import csv_lines, json_chunks
from portal.core.subpages import PLACEHOLDER

from .filters import BourseFilterSet, bourse_queryset
from .links import bourse_url

COLUMNS = [
    ("id", "integer", gettext_lazy("Identifier of the project in the Bourse-projets")),
    ("title", "string", gettext_lazy("Title of the project")),
    ("summary", "string", gettext_lazy("Summary of the project")),
    ("original_language", "string", gettext_lazy("Language of the partner's own wording")),
    ("original_title", "string", gettext_lazy("Title in the partner's own wording")),
    ("status", "string", gettext_lazy("Status: open or in_discussion")),
    ("themes", "string", gettext_lazy("Themes, separated by a semicolon and a space")),
    (
        "partner_kind_sought",
        "string",
        gettext_lazy("Kind of French authority sought: region, departement, commune, epci, other or empty"),
    ),
    (
        "partner_size_sought",
        "string",
        gettext_lazy("Size of French authority sought: small, medium, large or empty (any size)"),
    ),
    ("budget", "integer", gettext_lazy("Estimated budget in euros")),
    ("duration_months", "integer", gettext_lazy("Expected duration in months")),
    ("working_languages", "string", gettext_lazy("Working languages")),
    ("expires_on", "string", gettext_lazy("Date until which the project is listed (YYYY-MM-DD)")),
    ("partner_name", "string", gettext_lazy("Name of the foreign authority")),
    ("country_code", "string", gettext_lazy("ISO 3166-1 alpha-2 code of the partner's country")),
    ("country_name", "string", gettext_lazy("Name of the partner's country")),
    ("latitude", "number", gettext_lazy("Latitude of the project, or else of the partner (WGS 84)")),
    ("longitude", "number", gettext_lazy("Longitude of the project, or else of the partner (WGS 84)")),
    ("embassy", "string", gettext_lazy("French embassy that registered the project")),
    ("url", "string", gettext_lazy("Address of the project's page on the portal")),
]
COLUMN_NAMES = [name for name, _type, _description in COLUMNS]


def project_url_template(request):
    """The absolute address of a Bourse project's page with "{}" for its id (links.py), found once
    per export; "" when there is no live Bourse page."""
    path = bourse_url("project", PLACEHOLDER, request=request)
    return request.build_absolute_uri("/").rstrip("/") + path if path else ""


def project_record(project, url_template=""):
    """One project from `bourse_queryset()` as a flat dict keyed and ordered as COLUMNS (no further query)."""
    partner = project.partner
    use_own = project.latitude is not None and project.longitude is not None
    return {
        "id": project.pk,
        "title": project.title,
        "summary": project.summary,
        "original_language": project.original_language,
        "original_title": project.original_title,
        "status": project.status,
        "themes": "; ".join(theme.name for theme in project.themes.all()),
        "partner_kind_sought": project.partner_kind_sought,
        "partner_size_sought": project.partner_size_sought,
        "budget": int(project.budget) if project.budget is not None else None,
        "duration_months": project.duration_months,
        "working_languages": project.working_languages,
        "expires_on": project.expires_on.isoformat(),
        "partner_name": partner.name,
        "country_code": project.country.code,
        "country_name": project.country.name,
        "latitude": project.latitude if use_own else partner.latitude,
        "longitude": project.longitude if use_own else partner.longitude,
        "embassy": project.embassy.name if project.embassy else "",
        "url": url_template.replace(PLACEHOLDER, str(project.pk)) if url_template else "",
    }


FILE_NAME = "bourse-projets"


def filtered(request):
    filterset = BourseFilterSet(request.GET or None, queryset=bourse_queryset())
    return filterset, filterset.qs


def errors_of(filterset):
    return {name: [str(message) for message in messages] for name, messages in filterset.form.errors.items()}


def attachment(response, extension):
    response["Content-Disposition"] = f'attachment; filename="{FILE_NAME}.{extension}"'
    return response


@require_safe
def bourse_csv(request):
    filterset, queryset = filtered(request)
    if filterset.is_bound and not filterset.is_valid():
        lines = [f"{name} : {' '.join(messages)}" for name, messages in errors_of(filterset).items()]
        return HttpResponse(
            _("Some filters are not valid.") + "\n" + "\n".join(lines),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = StreamingHttpResponse(
        csv_lines(queryset, project_url_template(request), COLUMN_NAMES, project_record),
        content_type="text/csv; charset=utf-8",
    )
    return attachment(response, "csv")


@require_safe
def bourse_json(request):
    filterset, queryset = filtered(request)
    if filterset.is_bound and not filterset.is_valid():
        return JsonResponse(
            {"errors": errors_of(filterset)}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    head = {
        "schema": {
            "fields": [
                {"name": name, "type": kind, "description": str(description)}
                for name, kind, description in COLUMNS
            ]
        },
        # One COUNT query, so the count can precede the streamed results.
        "count": queryset.count(),
    }
    return StreamingHttpResponse(
        json_chunks(queryset, head, project_url_template(request), project_record),
        content_type="application/json; charset=utf-8",
    )
