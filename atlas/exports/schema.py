"""The columns of every tabular export and of the API, in order: (column, type, description).

Types follow the Table Schema vocabulary (integer, number, string, boolean); an empty cell means unknown.
"""

from django.utils.translation import gettext_lazy as _

from portal.core.subpages import PLACEHOLDER

from ..urls_helper import atlas_url

COLUMNS = [
    ("id", "integer", _("Identifier of the project sheet in the Atlas")),
    ("title", "string", _("Title of the project")),
    ("status", "string", _("Status: ongoing, dormant or finished")),
    ("start_year", "integer", _("Year the project started")),
    ("end_year", "integer", _("Year the project ended (empty while it goes on)")),
    ("themes", "string", _("Themes, separated by a semicolon and a space")),
    ("budget", "integer", _("Budget in euros")),
    (
        "funding_framework",
        "string",
        _(
            "Funding framework: oudin_santini, waste, energy, transport, meae_call, afd_ficol, eu, other "
            "or empty"
        ),
    ),
    (
        "cooperation_kind",
        "string",
        _("cooperation (decentralised cooperation) or external_action (other external action)"),
    ),
    ("twinning", "boolean", _("true when the two authorities are twinned")),
    ("authority_name", "string", _("Name of the French local authority")),
    ("authority_kind", "string", _("Kind of French authority: region, departement, commune, epci or other")),
    ("authority_code", "string", _("INSEE or SIREN code of the French authority")),
    ("authority_region", "string", _("Région of the French authority")),
    ("authority_departement", "string", _("Département of the French authority (INSEE code)")),
    ("partner_name", "string", _("Name of the foreign partner authority")),
    ("country_code", "string", _("ISO 3166-1 alpha-2 code of the partner's country")),
    ("country_name", "string", _("Name of the partner's country")),
    ("authority_latitude", "number", _("Latitude of the French authority (WGS 84)")),
    ("authority_longitude", "number", _("Longitude of the French authority (WGS 84)")),
    ("partner_latitude", "number", _("Latitude of the partner authority (WGS 84)")),
    ("partner_longitude", "number", _("Longitude of the partner authority (WGS 84)")),
    ("url", "string", _("Address of the project sheet on the portal")),
]

COLUMN_NAMES = [name for name, _type, _description in COLUMNS]


def project_url_template(request):
    """The absolute address of a project sheet with "{}" for its id (atlas/urls_helper.py), found once per
    export rather than once per row; "" when no Atlas page is live (no sheet to link to)."""
    path = atlas_url("project", PLACEHOLDER, request=request)
    return request.build_absolute_uri("/").rstrip("/") + path if path else ""


def project_record(project, url_template=""):
    """One project as a flat dict of plain values, keyed and ordered as COLUMNS; `url_template` comes from
    `project_url_template()`.

    `project` comes from `project_queryset()`: its cooperation, authority, partner and country are joined
    and its themes prefetched, so this reads no further row."""
    cooperation = project.cooperation
    authority, partner = cooperation.authority, cooperation.partner
    return {
        "id": project.pk,
        "title": project.title,
        "status": project.status,
        "start_year": project.start_year,
        "end_year": project.end_year,
        "themes": "; ".join(theme.name for theme in project.themes.all()),
        "budget": int(project.budget) if project.budget is not None else None,
        "funding_framework": project.funding_framework,
        "cooperation_kind": cooperation.kind,
        "twinning": cooperation.is_twinning,
        "authority_name": authority.name,
        "authority_kind": authority.kind,
        "authority_code": authority.code,
        "authority_region": authority.get_region_display(),
        "authority_departement": authority.departement,
        "partner_name": partner.name,
        "country_code": partner.country.code,
        "country_name": partner.country.name,
        "authority_latitude": authority.latitude,
        "authority_longitude": authority.longitude,
        "partner_latitude": partner.latitude,
        "partner_longitude": partner.longitude,
        "url": url_template.replace(PLACEHOLDER, str(project.pk)) if url_template else "",
    }
