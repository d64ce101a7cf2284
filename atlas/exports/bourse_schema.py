"""The columns of the Bourse-projets exports (CSV and JSON), in order: (column, type, description), as the
Atlas schema (schema.py), so the same writers (tabular.py) stream both.

Types follow the Table Schema vocabulary (integer, number, string, boolean); an empty cell means unknown.
"""

from django.utils.translation import gettext_lazy as _

from portal.core.subpages import PLACEHOLDER

from ..urls_helper import bourse_url

COLUMNS = [
    ("id", "integer", _("Identifier of the project in the Bourse-projets")),
    ("title", "string", _("Title of the project")),
    ("summary", "string", _("Summary of the project")),
    ("original_language", "string", _("Language of the partner's own wording")),
    ("original_title", "string", _("Title in the partner's own wording")),
    ("status", "string", _("Status: open or in_discussion")),
    ("themes", "string", _("Themes, separated by a semicolon and a space")),
    (
        "partner_kind_sought",
        "string",
        _("Kind of French authority sought: region, departement, commune, epci, other or empty"),
    ),
    (
        "partner_size_sought",
        "string",
        _("Size of French authority sought: small, medium, large or empty (any size)"),
    ),
    ("budget", "integer", _("Estimated budget in euros")),
    ("duration_months", "integer", _("Expected duration in months")),
    ("working_languages", "string", _("Working languages")),
    ("expires_on", "string", _("Date until which the project is listed (YYYY-MM-DD)")),
    ("partner_name", "string", _("Name of the foreign authority")),
    ("country_code", "string", _("ISO 3166-1 alpha-2 code of the partner's country")),
    ("country_name", "string", _("Name of the partner's country")),
    ("latitude", "number", _("Latitude of the project, or else of the partner (WGS 84)")),
    ("longitude", "number", _("Longitude of the project, or else of the partner (WGS 84)")),
    ("embassy", "string", _("French embassy that registered the project")),
    ("url", "string", _("Address of the project's page on the portal")),
]
COLUMN_NAMES = [name for name, _type, _description in COLUMNS]


def project_url_template(request):
    """The absolute address of a Bourse project's page with "{}" for its id (atlas/urls_helper.py), found once
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
