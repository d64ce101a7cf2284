"""Downloads of Atlas searches, the open-data page and the PDF export jobs (the JSON API is atlas/api/)."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import (
    Http404,
    HttpResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from portal.accounts.models import SavedExport
from portal.core.private_files import serve_private_file
from portal.core.subpages import PLACEHOLDER

from ..api.pagination import ProjectPagination
from ..filters import ProjectFilterSet, project_queryset
from ..models import ExportJob
from ..panels import OPEN_DATA_PANELS, render_panels
from ..urls_helper import atlas_url
from .pdf import render_projects_pdf
from .schema import COLUMNS, project_url_template
from .tabular import csv_lines, geojson_chunks, xlsx_bytes
from .tasks import build_pdf_export

# Above this many projects the PDF is built by a background task instead of within the request.
PDF_INLINE_LIMIT = 200
FILE_NAME = "atlas-projets"


def search_filters(request):
    return ProjectFilterSet(request.GET, queryset=project_queryset())


def filter_errors(filterset):
    """{field: [messages]} of an invalid search, in the active language."""
    return {name: [str(message) for message in messages] for name, messages in filterset.form.errors.items()}


def invalid_search(request, filterset):
    errors = [
        (filterset.form.fields[name].label if name in filterset.form.fields else name, messages)
        for name, messages in filter_errors(filterset).items()
    ]
    return TemplateResponse(
        request,
        "atlas/exports/invalid_filters.html",
        {"errors": errors, "search_url": atlas_search_url(""), "breadcrumb_data": breadcrumb(_("Export"))},
        status=400,
    )


def site_root(request):
    return request.build_absolute_uri("/").rstrip("/")


def attachment(response, extension):
    response["Content-Disposition"] = f'attachment; filename="{FILE_NAME}.{extension}"'
    return response


def atlas_search_url(query):
    """The Atlas advanced search with this query string, or the Atlas itself when it has no search route."""
    url = atlas_url("search")
    if not url:
        return reverse("atlas_data:open_data")
    return f"{url}?{query}" if query else url


def breadcrumb(current, with_open_data=True):
    links = (
        [{"url": reverse("atlas_data:open_data"), "title": _("Atlas open data")}] if with_open_data else []
    )
    return {"links": links, "current": current}


@require_safe
def open_data(request):
    root = site_root(request)
    example_record = {
        "id": 1234,
        "title": "Accès à l’eau potable à Ouahigouya",
        "status": "ongoing",
        "start_year": 2019,
        "end_year": None,
        "themes": "Eau et assainissement; Santé",
        "budget": 150000,
        "funding_framework": "oudin_santini",
        "cooperation_kind": "cooperation",
        "twinning": True,
        "authority_name": "Chambéry",
        "authority_kind": "commune",
        "authority_code": "73065",
        "authority_region": "Auvergne-Rhône-Alpes",
        "authority_departement": "73",
        "partner_name": "Ouahigouya",
        "country_code": "BF",
        "country_name": "Burkina Faso",
        "authority_latitude": 45.566,
        "authority_longitude": 5.921,
        "partner_latitude": 13.582,
        "partner_longitude": -2.421,
        "url": project_url_template(request).replace(PLACEHOLDER, "1234"),
    }
    api_url = root + reverse("atlas_data:api_projects")
    example = {
        "count": 87,
        "next": api_url + "?country=burkina-faso&page_size=1&page=2",
        "previous": None,
        "results": [example_record],
    }
    return TemplateResponse(
        request,
        "atlas/open_data.html",
        {
            "columns": COLUMNS,
            "filters": [(name, field.label) for name, field in ProjectFilterSet.base_filters.items()],
            "api_url": api_url,
            "api_example_url": api_url + "?country=burkina-faso&page_size=1",
            "api_example": json.dumps(example, ensure_ascii=False, indent=2),
            "max_page_size": ProjectPagination.max_page_size,
            "default_page_size": ProjectPagination.page_size,
            "breadcrumb_data": breadcrumb(_("Atlas open data"), with_open_data=False),
            "panels": render_panels(OPEN_DATA_PANELS, request),
        },
    )


@require_safe
def projects_csv(request):
    filterset = search_filters(request)
    if not filterset.is_valid():
        return invalid_search(request, filterset)
    response = StreamingHttpResponse(
        csv_lines(filterset.qs, project_url_template(request)), content_type="text/csv; charset=utf-8"
    )
    return attachment(response, "csv")


@require_safe
def projects_xlsx(request):
    filterset = search_filters(request)
    if not filterset.is_valid():
        return invalid_search(request, filterset)
    response = HttpResponse(
        xlsx_bytes(filterset.qs, project_url_template(request)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return attachment(response, "xlsx")


@require_safe
def projects_geojson(request):
    filterset = search_filters(request)
    if not filterset.is_valid():
        return invalid_search(request, filterset)
    response = StreamingHttpResponse(
        geojson_chunks(filterset.qs, project_url_template(request)), content_type="application/geo+json"
    )
    return attachment(response, "geojson")


def pdf_title():
    return _("Atlas of decentralised cooperation: projects")


@require_safe
def projects_pdf(request):
    filterset = search_filters(request)
    if not filterset.is_valid():
        return invalid_search(request, filterset)
    queryset = filterset.qs
    count = queryset.count()
    if count <= PDF_INLINE_LIMIT:
        content = render_projects_pdf(queryset, filterset.active_filters(), pdf_title())
        return attachment(HttpResponse(content, content_type="application/pdf"), "pdf")
    job = ExportJob.objects.create(
        query=request.GET.urlencode(),
        title=pdf_title(),
        language=get_language() or "fr",
        total=count,
        owner=request.user if request.user.is_authenticated else None,
    )
    build_pdf_export.enqueue(job_id=str(job.pk))
    response = redirect("atlas_data:export_status", job_id=job.pk)
    # 303: the browser follows with a GET whatever the method was.
    response.status_code = 303
    return response


@login_required
@require_POST
def export_keep(request, job_id):
    """Keep a finished PDF export in one's space; an export someone else made stays theirs."""
    with transaction.atomic():
        job = get_object_or_404(
            ExportJob.objects.select_for_update(), pk=job_id, status=ExportJob.Status.DONE
        )
        if job.owner_id not in (None, request.user.pk) or not job.file:
            raise Http404
        if job.owner_id is None:
            job.owner = request.user
            job.save(update_fields=["owner"])
        SavedExport.objects.get_or_create(owner=request.user, job=job)
    messages.success(request, _("The PDF is kept in your space."))
    return redirect("accounts:personal_space")


@login_required
@require_POST
def projects_pdf_keep(request):
    """ "Keep in my space": the PDF of the search posted (its query string) is built and kept for the member.

    A search within PDF_INLINE_LIMIT is built at once and kept; a larger one goes to the background like any
    large export, and its status page offers to keep it once it is ready."""
    params = QueryDict(request.POST.get("query", "")[:2000])
    filterset = ProjectFilterSet(params, queryset=project_queryset())
    if not filterset.is_valid():
        return invalid_search(request, filterset)
    count = filterset.qs.count()
    job = ExportJob.objects.create(
        query=params.urlencode(),
        title=pdf_title(),
        language=get_language() or "fr",
        total=count,
        owner=request.user,
    )
    if count > PDF_INLINE_LIMIT:
        build_pdf_export.enqueue(job_id=str(job.pk))
        return redirect("atlas_data:export_status", job_id=job.pk)
    # The same work as the background task, done within the request for a small search.
    build_pdf_export.call(job_id=str(job.pk))
    SavedExport.objects.get_or_create(owner=request.user, job=job)
    messages.success(request, _("The PDF is kept in your space."))
    return redirect("accounts:personal_space")


def job_for(request, job_id, **filters):
    """The job if the visitor may see it, None if they must log in first. A job with an owner (who made it
    logged in, or kept it in their space) is theirs alone: anybody else gets a 404, as for an unknown id.
    An ownerless job belongs to whoever holds its unguessable id, as the status page tells."""
    job = get_object_or_404(ExportJob, pk=job_id, **filters)
    if job.owner_id is None or job.owner_id == request.user.pk:
        return job
    if not request.user.is_authenticated:
        return None
    raise Http404


@never_cache
@require_safe
def export_status(request, job_id):
    job = job_for(request, job_id)
    if job is None:
        return redirect_to_login(request.get_full_path())
    response = TemplateResponse(
        request,
        "atlas/exports/status.html",
        {
            "job": job,
            "search_url": atlas_search_url(job.query),
            "breadcrumb_data": breadcrumb(_("PDF export")),
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_safe
def export_file(request, job_id):
    job = job_for(request, job_id, status=ExportJob.Status.DONE)
    if job is None:
        return redirect_to_login(request.get_full_path())
    return serve_private_file(job.file, f"{FILE_NAME}.pdf", "application/pdf")
