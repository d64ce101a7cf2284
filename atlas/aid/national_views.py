"""The national development aid views of the admin ("APD nationale"): totals by year and breakdowns, who has
and has not declared with reminders, and the CRS exports. Only FILED declarations count; who reads what is
`national.national_access`, asked by every view."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import CharField, Subquery
from django.db.models.functions import Cast
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST, require_safe

from wagtail.models import ModelLogEntry

from atlas.exports.tabular import csv_lines, xlsx_bytes
from atlas.models import Authority
from portal.core import charts
from portal.templatetags.portal_tags import thousands

from .crs_schema import COLUMN_NAMES, crs_queryset, crs_record
from .national import (
    REMINDER_ACTION,
    breakdowns,
    declaration_year,
    declarers,
    declarers_summary,
    filed_declarations,
    filed_lines,
    national_access,
    statuses,
    totals_by_year,
)
from .national_filters import DeclarersFilterSet, NationalFilterSet
from .reminders import ReminderRefused, late_authorities, remind, remind_all_late

DECLARERS_PER_PAGE = 50
REMINDERS_PER_PAGE = 50
BREAKDOWNS = (
    ("region", gettext_lazy("By région")),
    ("departement", gettext_lazy("By département")),
    ("recipient", gettext_lazy("By recipient country or multilateral body")),
    ("sector", gettext_lazy("By DAC sector")),
    ("channel", gettext_lazy("By channel")),
)


def access_of(request):
    access = national_access(request.user)
    if access is None:
        raise PermissionDenied
    return access


def invalid_filters(request, template, context):
    """The page again with the filter form's errors, status 400 (never a server error)."""
    return TemplateResponse(request, template, {**context, "invalid": True}, status=400)


def year_chart(totals):
    """Bars of the national totals by year (portal/core/charts.py: no script), each with its amount above;
    the page's own table gives every figure."""
    if not totals:
        return None
    first, last = totals[0], totals[-1]
    peak = max(totals, key=lambda row: row["total"])
    return charts.bars(
        id="aid-chart",
        title=_("Development aid declared by year, in euros"),
        desc=_(
            "From %(first)s (%(first_total)s euros) to %(last)s (%(last_total)s euros); the highest year is "
            "%(peak)s. The table below gives every figure."
        )
        % {
            "first": first["year"],
            "first_total": thousands(first["total"]),
            "last": last["year"],
            "last_total": thousands(last["total"]),
            "peak": peak["year"],
        },
        caption=_("Development aid declared by year"),
        categories=[row["year"] for row in totals],
        values=[row["total"] for row in totals],
        label=_("Amount (euros)"),
        short=charts.compact_euros,
    )


@require_safe
def national(request):
    access = access_of(request)
    base = filed_lines().filter(access.authorities_q("declaration__authority__"))
    filterset = NationalFilterSet(request.GET or None, queryset=base)
    without_year = request.GET.copy()
    without_year.pop("year", None)
    context = {
        "filter": filterset,
        "access": access,
        "query_string": request.GET.urlencode(),
        "query_without_year": without_year.urlencode(),
    }
    if filterset.is_bound and not filterset.is_valid():
        return invalid_filters(request, "aid/national/national.html", context)
    lines = filterset.qs if filterset.is_bound else base
    data = filterset.form.cleaned_data if filterset.is_bound else {}
    authority_filters = filterset.authority_filters() if filterset.is_bound else {}
    declarations = filed_declarations().filter(access.authorities_q("authority__"), **authority_filters)
    if filterset.is_bound and filterset.line_filters_active():
        # With a country, sector or channel chosen, an authority declares in the table only through a line.
        declarations = declarations.filter(pk__in=lines.values("declaration_id"))
    totals = totals_by_year(lines, declarations)
    years = [row["year"] for row in totals]
    year = data.get("year") or (years[-1] if years else None)
    year_lines = lines.filter(declaration__year=year)
    tables = breakdowns(year_lines) if year else {}
    context.update(
        totals=list(reversed(totals)),
        chart=year_chart(totals),
        year=year,
        year_total=next((row for row in totals if row["year"] == year), None),
        breakdowns=[(key, title, tables.get(key, [])) for key, title in BREAKDOWNS],
    )
    return TemplateResponse(request, "aid/national/national.html", context)


def valid_year(value, default):
    """A year from the query string, the default when absent; None when it is no year."""
    if value in (None, ""):
        return default
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 1990 <= year <= 2100 else None


@require_safe
def declarers_view(request):
    access = access_of(request)
    year = valid_year(request.GET.get("year"), declaration_year())
    filterset = DeclarersFilterSet(
        request.GET or None, queryset=declarers(access, year or declaration_year()), request=request
    )
    context = {"filter": filterset, "access": access, "year": year, "query_string": request.GET.urlencode()}
    if year is None:
        filterset.form.is_valid()
        filterset.form.add_error(None, _("Choose a year between 1990 and 2100."))
        return invalid_filters(request, "aid/national/declarers.html", context)
    if filterset.is_bound and not filterset.is_valid():
        return invalid_filters(request, "aid/national/declarers.html", context)
    queryset = filterset.qs.order_by("name", "pk")
    page = Paginator(queryset, DECLARERS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context.update(
        summary=declarers_summary(filterset.qs),
        page_obj=page,
        rows=statuses(page.object_list),
        page_query=query.urlencode(),
        next_url=request.get_full_path(),
    )
    return TemplateResponse(request, "aid/national/declarers.html", context)


def back_to_list(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("aid_national_declarers")


def posted_year(request):
    year = valid_year(request.POST.get("year"), None)
    if year is None:
        messages.error(request, _("Choose a year between 1990 and 2100."))
    return year


@require_POST
def remind_view(request, authority_id):
    access = access_of(request)
    if not access.may_remind:
        raise PermissionDenied
    authority = get_object_or_404(Authority, pk=authority_id)
    if not access.admits(authority):
        raise PermissionDenied
    year = posted_year(request)
    if year is None:
        return back_to_list(request)
    try:
        sent = remind(authority, year, request.user, access)
    except ReminderRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            ngettext(
                "%(name)s reminded: %(count)d agent e-mailed.",
                "%(name)s reminded: %(count)d agents e-mailed.",
                sent,
            )
            % {"name": authority.name, "count": sent},
        )
    return back_to_list(request)


@require_POST
def remind_all_view(request):
    access = access_of(request)
    if not access.may_remind:
        raise PermissionDenied
    year = posted_year(request)
    if year is None:
        return back_to_list(request)
    count = len(late_authorities(access, year))
    if not count:
        messages.info(
            request, _("No late authority to remind: every one has filed or was reminded this week.")
        )
        return back_to_list(request)
    # The task reads the user's rights again and sends one reminder per authority, each rate-limited and
    # logged (at once in development, by the task worker in production).
    remind_all_late.enqueue(user_id=request.user.pk, year=year)
    messages.success(
        request,
        ngettext(
            "Reminders queued for %(count)d late authority.",
            "Reminders queued for %(count)d late authorities.",
            count,
        )
        % {"count": count},
    )
    return back_to_list(request)


@require_safe
def reminders_view(request):
    """Every reminder sent to the territory's authorities, newest first."""
    access = access_of(request)
    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Authority), action=REMINDER_ACTION
    )
    if not access.national:
        ids = access.authorities().annotate(key=Cast("pk", CharField())).values("key")
        entries = entries.filter(object_id__in=Subquery(ids))
    page = Paginator(
        entries.select_related("user").order_by("-timestamp", "-pk"), REMINDERS_PER_PAGE
    ).get_page(request.GET.get("page"))
    names = dict(
        Authority.objects.filter(pk__in=[int(entry.object_id) for entry in page.object_list]).values_list(
            "pk", "name"
        )
    )
    rows = [
        {
            "entry": entry,
            "authority": names.get(int(entry.object_id), entry.label),
            "year": (entry.data or {}).get("year"),
            "recipients": (entry.data or {}).get("recipients"),
        }
        for entry in page.object_list
    ]
    return TemplateResponse(request, "aid/national/reminders.html", {"page_obj": page, "rows": rows})


FILE_NAME = "apd-crs"


def export_lines(request):
    """The filtered lines to export, or a 400 answer."""
    access = access_of(request)
    base = filed_lines().filter(access.authorities_q("declaration__authority__"))
    filterset = NationalFilterSet(request.GET or None, queryset=base)
    if filterset.is_bound and not filterset.is_valid():
        context = {"filter": filterset, "access": access, "query_string": request.GET.urlencode()}
        return None, invalid_filters(request, "aid/national/national.html", context)
    lines = filterset.qs if filterset.is_bound else base
    year = filterset.form.cleaned_data.get("year") if filterset.is_bound else None
    if year:
        lines = lines.filter(declaration__year=year)
    return crs_queryset(lines), None


def export_name(request, extension):
    year = valid_year(request.GET.get("year"), None)
    return f"{FILE_NAME}-{year}.{extension}" if year else f"{FILE_NAME}.{extension}"


@require_safe
def crs_csv(request):
    lines, refusal = export_lines(request)
    if refusal:
        return refusal
    response = StreamingHttpResponse(
        csv_lines(lines, columns=COLUMN_NAMES, record=crs_record), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{export_name(request, "csv")}"'
    return response


@require_safe
def crs_xlsx(request):
    lines, refusal = export_lines(request)
    if refusal:
        return refusal
    response = HttpResponse(
        xlsx_bytes(lines, columns=COLUMN_NAMES, record=crs_record, sheet_title=_("CRS")),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{export_name(request, "xlsx")}"'
    return response
