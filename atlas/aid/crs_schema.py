"""The columns of the national e-APD export, in the layout of the OECD Creditor Reporting System (CRS)
survey: one row per FILED declared line, with its codes; (column, type, description), in order, as the Atlas
and Bourse schemas (atlas/exports/schema.py), so the same writers (atlas/exports/tabular.py) stream it.

Codes: the CRS donor code of France (4), the CRS recipient codes of the DAC List of ODA Recipients for the
line's year, the CRS channel and purpose codes and the policy markers of atlas/aid/codes.py. A declared line
is an ODA grant (flow 11, finance type 110) disbursed in the year, in euros.
"""

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.core.territories import REGIONS

from . import codes

DONOR_CODE, DONOR_NAME = "4", "France"
FLOW_CODE, FLOW_NAME = 11, "ODA Grants"
FINANCE_TYPE = 110  # Standard grant
BILATERAL, MULTILATERAL_CORE = 1, 2  # CRS "Bi_Multi"
PROJECT_TYPE, CORE_CONTRIBUTION = "C01", "B02"  # CRS type of aid
# CRS recipient code of aid not allocated to a country ("Developing countries, unspecified").
UNSPECIFIED_RECIPIENT = "998"
CURRENCY = "EUR"
# The markers' columns: model field -> column name.
MARKER_COLUMNS = {field: field.removeprefix("marker_") for field in codes.MARKERS}

COLUMNS = [
    ("year", "integer", _("Year the aid was given (the year declared)")),
    ("donor_code", "string", _("CRS donor code: 4 (France)")),
    ("donor_name", "string", _("Donor: France")),
    ("agency_name", "string", _("Extending agency: the French local authority that declared")),
    ("agency_code", "string", _("INSEE or SIREN code of the French authority")),
    ("agency_kind", "string", _("Kind of French authority: region, departement, commune, epci or other")),
    ("agency_region", "string", _("Région of the French authority")),
    ("agency_departement", "string", _("Département of the French authority (INSEE code)")),
    ("crs_id", "string", _("Identifier of the declared line: APD-year-declaration-line")),
    (
        "recipient_code",
        "string",
        _(
            "CRS recipient code (DAC List of ODA Recipients); 998 for a core contribution to a "
            "multilateral body"
        ),
    ),
    ("recipient_iso", "string", _("ISO 3166-1 alpha-2 code of the recipient country")),
    ("recipient_name", "string", _("Recipient country, or the multilateral body of a core contribution")),
    ("bi_multi", "integer", _("CRS Bi_Multi: 1 bilateral, 2 multilateral (core contribution)")),
    ("flow_code", "integer", _("CRS flow: 11 (ODA grants)")),
    ("flow_name", "string", _("CRS flow name")),
    ("finance_type", "integer", _("CRS type of finance: 110 (standard grant)")),
    ("aid_type", "string", _("CRS type of aid: C01 (project-type intervention) or B02 (core contribution)")),
    ("channel_code", "string", _("CRS channel code")),
    ("channel_name", "string", _("Channel of delivery")),
    ("purpose_code", "string", _("CRS purpose code (5 digits)")),
    ("purpose_name", "string", _("Purpose")),
    ("sector_code", "string", _("DAC sector code (the purpose code's first 3 digits)")),
    ("sector_name", "string", _("DAC sector")),
    ("amount", "integer", _("Amount disbursed, in euros (own resources, service costs included)")),
    ("currency", "string", _("Currency: EUR")),
    *[
        (column, "integer", format_lazy(_("Policy marker {code}, {name}: 0, 1 or 2"), code=code, name=label))
        for column, (code, label) in (
            (MARKER_COLUMNS[field], value) for field, value in codes.MARKERS.items()
        )
    ],
    ("project_title", "string", _("Atlas project the line funds, if any")),
    ("filed_at", "string", _("Date the declaration was filed (YYYY-MM-DD, Paris time)")),
]
COLUMN_NAMES = [name for name, _type, _description in COLUMNS]


def crs_queryset(lines):
    """The lines with everything a record reads joined (no query per row), in a stable order."""
    return lines.select_related("declaration__authority", "country", "project").order_by(
        "declaration__year", "declaration__authority__name", "declaration_id", "pk"
    )


def crs_record(line, url_template=""):
    """One line from `crs_queryset()` as a flat dict keyed and ordered as COLUMNS."""
    declaration, authority, country = line.declaration, line.declaration.authority, line.country
    year = declaration.year
    core = country is None
    sector = line.purpose[:3]
    record = {
        "year": year,
        "donor_code": DONOR_CODE,
        "donor_name": DONOR_NAME,
        "agency_name": authority.name,
        "agency_code": authority.code,
        "agency_kind": authority.kind,
        "agency_region": REGIONS.get(authority.region, authority.region),
        "agency_departement": authority.departement,
        "crs_id": f"APD-{year}-{declaration.pk}-{line.pk}",
        "recipient_code": UNSPECIFIED_RECIPIENT
        if core
        else (codes.crs_recipient_code(country.code, year) or ""),
        "recipient_iso": "" if core else country.code,
        "recipient_name": str(codes.MULTILATERAL_BODIES.get(line.multilateral_body, ""))
        if core
        else country.name,
        "bi_multi": MULTILATERAL_CORE if core else BILATERAL,
        "flow_code": FLOW_CODE,
        "flow_name": FLOW_NAME,
        "finance_type": FINANCE_TYPE,
        "aid_type": CORE_CONTRIBUTION if core else PROJECT_TYPE,
        "channel_code": line.channel_code,
        "channel_name": str(
            codes.MULTILATERAL_BODIES.get(line.multilateral_body)
            if line.multilateral_body
            else codes.CHANNELS[line.channel][0]
        ),
        "purpose_code": line.purpose,
        "purpose_name": str(codes.PURPOSES.get(line.purpose, "")),
        "sector_code": sector,
        "sector_name": str(codes.SECTOR_NAMES.get(sector, "")),
        "amount": int(line.amount),
        "currency": CURRENCY,
        "project_title": line.project.title if line.project_id else "",
        "filed_at": timezone.localtime(declaration.filed_at).date().isoformat()
        if declaration.filed_at
        else "",
    }
    for field, column in MARKER_COLUMNS.items():
        record[column] = getattr(line, field)
    return {name: record[name] for name in COLUMN_NAMES}
