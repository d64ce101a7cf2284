"""CSV, XLSX, GeoJSON and JSON writers. Each reads the projects in chunks (one query for the rows and one for
their themes per chunk), so a dump of the whole Atlas or Bourse stays cheap in memory and in queries.

The writers default to the Atlas schema (schema.py); the Bourse passes its own (atlas/bourse/exports.py):
the column names, in order, and the function that turns one row of its queryset into a record keyed by those
names."""

import csv
import io
import json

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from django.utils.translation import gettext as _

from .schema import COLUMN_NAMES, project_record

CHUNK_SIZE = 500
# Excel only reads a CSV file as UTF-8 when it starts with a byte order mark.
BOM = "\ufeff"


def iter_records(queryset, url_template="", record=project_record):
    for project in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield record(project, url_template)


class _Echo:
    """A file-like object whose write() hands the line back, so csv.writer can feed a streaming response."""

    def write(self, value):
        return value


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def csv_lines(queryset, url_template="", columns=COLUMN_NAMES, record=project_record):
    """The CSV file, line by line: UTF-8 with a byte order mark, comma-separated, header = schema columns."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(columns)
    for row in iter_records(queryset, url_template, record):
        yield writer.writerow([_csv_value(row[name]) for name in columns])


def xlsx_bytes(queryset, url_template="", columns=COLUMN_NAMES, record=project_record, sheet_title=None):
    """An Excel workbook with one sheet of records, "Projects" unless `sheet_title` names it (write-only mode
    keeps memory flat)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title or _("Projects"))
    sheet.freeze_panes = "A2"
    sheet.append([_header_cell(sheet, name) for name in columns])
    for row in iter_records(queryset, url_template, record):
        sheet.append([row[name] for name in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header_cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True)
    return cell


def geojson_chunks(queryset, url_template=""):
    """A GeoJSON FeatureCollection of points at the partner authorities (RFC 7946: longitude first)."""
    yield '{"type": "FeatureCollection", "features": ['
    first = True
    for record in iter_records(queryset, url_template):
        lat, lng = record["partner_latitude"], record["partner_longitude"]
        geometry = (
            {"type": "Point", "coordinates": [lng, lat]} if lat is not None and lng is not None else None
        )
        feature = {"type": "Feature", "id": record["id"], "geometry": geometry, "properties": record}
        yield ("" if first else ",\n") + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "]}\n"


def json_chunks(queryset, head, url_template="", record=project_record):
    """A JSON object: the `head` members (schema, count...) first, then "results", the records in order."""
    opening = json.dumps(head, ensure_ascii=False, indent=1)[:-1].rstrip()
    yield opening + (",\n" if head else "\n") + ' "results": ['
    first = True
    for row in iter_records(queryset, url_template, record):
        yield ("\n  " if first else ",\n  ") + json.dumps(row, ensure_ascii=False)
        first = False
    yield "\n ]\n}\n"
