"""Open data of the Bourse-projets: the visible projects as CSV and JSON, with their documented schema.

Both exports take the filters of the Bourse page (country, continent, theme, status, budget range) and are
streamed by the Atlas export writers (atlas/exports/tabular.py) from the Bourse schema
(atlas/exports/bourse_schema.py)."""

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .bourse_filters import BourseFilterSet, bourse_queryset
from .exports.bourse_schema import COLUMN_NAMES, COLUMNS, project_record, project_url_template
from .exports.tabular import csv_lines, json_chunks

__all__ = ["COLUMNS", "COLUMN_NAMES", "bourse_csv", "bourse_json"]

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
