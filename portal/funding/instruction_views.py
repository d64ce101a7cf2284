"""The instruction in the admin: the follow-up page of a dossier every party shares (the applicant, reviewers,
the Délégation, each seeing what the rules of instruction.py let it see), the moves and forms posted from it,
the reviewers' "awaiting my opinion" list, the Délégation's list with its charts and exports, and the files.

A view looks its object up within what the user may reach (404 otherwise); every move is checked again by
workflow.transition or by the step of instruction.py it calls. A refused form is shown again, as typed, with
status 400."""

from datetime import timedelta

from weasyprint import HTML

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atlas.exports import tabular
from atlas.exports.pdf import LocalFilesOnly
from atlas.models import PartnerAuthority
from portal.accounts.scope import scope_for
from portal.core.private_files import serve_private_file

from . import instruction, workflow
from .instruction_charts import bar_chart
from .instruction_exports import COLUMN_NAMES, dossier_queryset, dossier_record, figures
from .instruction_forms import (
    CorrectionForm,
    DecisionForm,
    DossierFilter,
    MotivationForm,
    OpinionForm,
    OpinionRequestForm,
    ReportForm,
)
from .instruction_models import Decision, OpinionRequest, Report
from .models import Application, ApplicationEvent
from .opinions import OPINION_DAYS, request_opinion

State = Application.State
DOSSIERS_PER_PAGE = 50
GIVEN_SHOWN = 20
# The simple moves posted with an optional motivation (correction and decision have their own forms).
SIMPLE_MOVES = {
    "instruction": State.UNDER_INSTRUCTION,
    "reporting": State.REPORTING,
    "closed": State.CLOSED,
    "withdrawn": State.WITHDRAWN,
}


def _application(request, pk):
    application = get_object_or_404(
        Application.objects.select_related("call", "organisation", "lead_authority", "country"), pk=pk
    )
    if not instruction.may_view(request.user, application):
        raise Http404
    return application


# The follow-up page ----------------------------------------------------------------------------------------


DECIDED_STATES = (State.ACCEPTED, State.REFUSED, State.REPORTING, State.CLOSED)


def dossier(request, pk, forms=None, status=200):
    """The follow-up page. Its queries do not grow with the dossier's history, opinions or budget."""
    user = request.user
    application = get_object_or_404(
        Application.objects.select_related(
            "call", "organisation", "lead_authority", "country", "decision__project"
        ).prefetch_related(
            "budget_lines",
            "attachments",
            Prefetch("foreign_partners", queryset=PartnerAuthority.objects.select_related("country")),
            "french_partners",
            "themes",
        ),
        pk=pk,
    )
    if not instruction.may_view(user, application):
        raise Http404
    scope = scope_for(user)
    delegation = scope.is_delegation
    applicant = instruction.is_applicant(user, application)
    reviewer_ids = instruction.reviewer_organisation_ids(user)
    events = ApplicationEvent.objects.filter(application=application).select_related("user")
    if applicant and not delegation:
        events = events.filter(visible_to_applicant=True)
    # Tranches and reports exist once a decision is taken: no query before.
    decided = application.state in DECIDED_STATES
    tranches = list(application.tranches.all()) if decided else []
    reports = list(application.reports.select_related("submitted_by", "approved_by")) if decided else []
    opinions = list(
        instruction.visible_opinions(user, application).select_related("organisation", "given_by")
    )
    for opinion in opinions:
        # The opinion's file is for the Délégation and its author, even once the opinion is released.
        opinion.file_readable = delegation or opinion.organisation_id in reviewer_ids
    decision = getattr(application, "decision", None)
    moves = {to_state for to_state, _spec in workflow.allowed_transitions(application, user)}
    forms = forms or {}
    open_requests = [o for o in opinions if o.organisation_id in reviewer_ids and not o.is_given]
    estimate = None
    if application.state in (State.FILED, State.UNDER_INSTRUCTION, State.CORRECTION_REQUESTED):
        estimate = instruction.estimated_days_to_decision(application.call)
    context = {
        "application": application,
        "totals": application.budget_totals(),
        "opinions": opinions,
        "decision": decision,
        "events": list(events),
        "tranches": tranches,
        "reports": reports,
        "is_delegation": delegation,
        "is_applicant": applicant,
        "estimate": estimate,
        "moves": moves,
        "State": State,
        "can_instruct": State.UNDER_INSTRUCTION in moves,
        "can_correct": State.CORRECTION_REQUESTED in moves,
        "can_decide": delegation and application.state == State.UNDER_INSTRUCTION,
        "can_report_phase": State.REPORTING in moves,
        "can_close": State.CLOSED in moves,
        "can_withdraw": State.WITHDRAWN in moves and applicant,
        "can_request_opinion": delegation and application.state in instruction.OPINION_STATES,
        "next_report": instruction.next_report(application, reports)
        if applicant and application.state in instruction.REPORTING_STATES
        else None,
        "open_requests": [
            (opinion, forms.get(("opinion", opinion.pk)) or OpinionForm(prefix=f"opinion-{opinion.pk}"))
            for opinion in open_requests
        ]
        if application.state in instruction.OPINION_STATES
        else [],
        "motivation_form": forms.get("motivation") or MotivationForm(),
        "correction_form": forms.get("correction") or CorrectionForm(),
        "decision_form": forms.get("decision") or DecisionForm(application=application),
        "opinion_request_form": forms.get("opinion_request")
        or OpinionRequestForm(initial={"due_on": timezone.localdate() + timedelta(days=OPINION_DAYS)}),
        "report_form": forms.get("report") or ReportForm(),
        "released_total": instruction.released_sum(tranches),
    }
    return TemplateResponse(request, "funding/instruction/dossier.html", context, status=status)


def _back(application):
    return redirect("funding_dossier", application.pk)


def _refused(request, application, error, forms=None):
    """Shows the dossier again with the reasons of the refusal and what was typed; changes nothing."""
    if forms:
        for form in forms.values():
            for message in getattr(error, "messages", [str(error)]):
                form.add_error(None, message)
    else:
        for message in getattr(error, "messages", [str(error)]):
            messages.error(request, message)
    return dossier(request, application.pk, forms=forms, status=400)


@require_POST
def move(request, pk, move):
    application = _application(request, pk)
    to_state = SIMPLE_MOVES.get(move)
    if to_state is None:
        raise Http404
    form = MotivationForm(request.POST)
    if not form.is_valid():
        return dossier(request, pk, forms={"motivation": form}, status=400)
    try:
        instruction.move(application, request.user, to_state, form.cleaned_data["motivation"])
    except ValidationError as error:
        return _refused(request, application, error, {"motivation": form})
    messages.success(request, _("The dossier is now “%(state)s”.") % {"state": State(to_state).label})
    return _back(application)


@require_POST
def correction(request, pk):
    application = _application(request, pk)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        return dossier(request, pk, forms={"correction": form}, status=400)
    try:
        instruction.request_correction(application, request.user, form.cleaned_data["motivation"])
    except ValidationError as error:
        return _refused(request, application, error, {"correction": form})
    messages.success(request, _("The correction is requested: the dossier is reopened for its applicant."))
    return _back(application)


@require_POST
def decide(request, pk):
    application = _application(request, pk)
    if not scope_for(request.user).is_delegation:
        raise PermissionDenied
    form = DecisionForm(request.POST, application=application)
    if not form.is_valid():
        return dossier(request, pk, forms={"decision": form}, status=400)
    data = form.cleaned_data
    try:
        instruction.decide(
            application,
            request.user,
            data["outcome"],
            data["motivation"],
            data["committee_date"],
            amount=data.get("amount"),
        )
    except ValidationError as error:
        return _refused(request, application, error, {"decision": form})
    messages.success(request, _("The decision is recorded and the applicant is told."))
    return _back(application)


@require_POST
def ask_opinion(request, pk):
    application = _application(request, pk)
    if not scope_for(request.user).is_delegation:
        raise PermissionDenied
    form = OpinionRequestForm(request.POST)
    if not form.is_valid():
        return dossier(request, pk, forms={"opinion_request": form}, status=400)
    try:
        request_opinion(
            application, form.cleaned_data["organisation"], request.user, due_on=form.cleaned_data["due_on"]
        )
    except ValidationError as error:
        return _refused(request, application, error, {"opinion_request": form})
    messages.success(
        request, _("%(reviewer)s is asked for its opinion.") % {"reviewer": form.cleaned_data["organisation"]}
    )
    return _back(application)


def _opinion(request, pk):
    opinion = get_object_or_404(
        instruction.visible_opinions(request.user).select_related("application", "organisation"), pk=pk
    )
    return opinion


@require_POST
def give_opinion(request, pk):
    opinion = _opinion(request, pk)
    application = opinion.application
    form = OpinionForm(request.POST, request.FILES, prefix=f"opinion-{opinion.pk}")
    if not form.is_valid():
        return dossier(request, application.pk, forms={("opinion", opinion.pk): form}, status=400)
    data = form.cleaned_data
    try:
        instruction.give_opinion(opinion, request.user, data["verdict"], data["comment"], data.get("file"))
    except ValidationError as error:
        return _refused(request, application, error, {("opinion", opinion.pk): form})
    messages.success(request, _("Your opinion is recorded. Thank you."))
    return _back(application)


@require_POST
def release_opinion(request, pk):
    opinion = _opinion(request, pk)
    try:
        instruction.release_opinion(opinion, request.user)
    except ValidationError as error:
        return _refused(request, opinion.application, error)
    messages.success(request, _("The opinion is now shown to the applicant."))
    return _back(opinion.application)


@require_POST
def file_report(request, pk):
    application = _application(request, pk)
    if not instruction.is_applicant(request.user, application):
        raise PermissionDenied
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        return dossier(request, pk, forms={"report": form}, status=400)
    try:
        report = instruction.file_report(
            application, request.user, form.cleaned_data["summary"], form.cleaned_data["file"]
        )
    except ValidationError as error:
        return _refused(request, application, error, {"report": form})
    messages.success(
        request,
        _("Your %(report)s is filed: the Délégation will review it.") % {"report": report.get_kind_display()},
    )
    return _back(application)


def _report(request, pk):
    report = get_object_or_404(Report.objects.select_related("application"), pk=pk)
    if not instruction.may_view(request.user, report.application):
        raise Http404
    return report


@require_POST
def approve_report(request, pk):
    report = _report(request, pk)
    instruction.approve_report(report, request.user)
    messages.success(request, _("The report is approved and its tranche released."))
    return _back(report.application)


# Files -----------------------------------------------------------------------------------------------------


def opinion_file(request, pk):
    opinion = _opinion(request, pk)
    # The opinion's file is for the Délégation and its author, even once the opinion is released.
    if not (
        scope_for(request.user).is_delegation
        or opinion.organisation_id in instruction.reviewer_organisation_ids(request.user)
    ):
        raise Http404
    return serve_private_file(
        opinion.file, f"avis-{opinion.application_id}-{opinion.pk}{_suffix(opinion.file)}"
    )


def report_file(request, pk):
    report = _report(request, pk)
    return serve_private_file(
        report.file, f"rapport-{report.application_id}-{report.pk}{_suffix(report.file)}"
    )


def _suffix(field_file):
    name = field_file.name or ""
    return "." + name.rsplit(".", 1)[-1] if "." in name else ""


def award_letter(request, pk):
    application = _application(request, pk)
    decision = Decision.objects.filter(application=application, outcome=Decision.Outcome.ACCEPTED).first()
    if decision is None:
        raise Http404
    html = render_to_string(
        "funding/instruction/award_letter.html",
        {
            "application": application,
            "decision": decision,
            "tranches": list(application.tranches.all()),
            "totals": application.budget_totals(),
            "date": timezone.localdate(),
        },
    )
    pdf = HTML(string=html, base_url=".", url_fetcher=LocalFilesOnly(fail_on_errors=False)).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="lettre-attribution-{application.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# Reviewers -------------------------------------------------------------------------------------------------


def awaiting(request):
    """The reviewer's desk: the opinions awaiting it, those it gave, and the dossiers it may consult."""
    reviewer_ids = instruction.reviewer_organisation_ids(request.user)
    if not reviewer_ids and not scope_for(request.user).is_delegation:
        raise PermissionDenied
    requests = OpinionRequest.objects.filter(organisation_id__in=reviewer_ids).select_related(
        "application__call", "application__lead_authority", "application__country", "organisation"
    )
    pending = list(
        requests.filter(verdict="", application__state__in=instruction.OPINION_STATES).order_by(
            "due_on", "pk"
        )
    )
    # The latest opinions given; the older ones stay on their dossiers' pages.
    given = list(requests.exclude(verdict="").order_by("-given_at", "-pk")[:GIVEN_SHOWN])
    consultable = (
        instruction.reviewable_applications(request.user)
        .select_related("call", "lead_authority", "country")
        .order_by("-filed_at", "-pk")
    )
    page = Paginator(consultable, DOSSIERS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "funding/instruction/awaiting.html",
        {"pending": pending, "given": given, "page": page, "today": timezone.localdate()},
    )


# The Délégation --------------------------------------------------------------------------------------------


def dossiers(request):
    """Every filed dossier, filtered; the charts of the filtered set; its CSV and XLSX exports."""
    if not scope_for(request.user).is_delegation:
        raise PermissionDenied
    filterset = DossierFilter(request.GET or None, queryset=dossier_queryset())
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else dossier_queryset()
    export = request.GET.get("export")
    if export == "csv":
        response = StreamingHttpResponse(
            tabular.csv_lines(queryset, columns=COLUMN_NAMES, record=dossier_record),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="dossiers.csv"'
        return response
    if export == "xlsx":
        response = HttpResponse(
            tabular.xlsx_bytes(
                queryset, columns=COLUMN_NAMES, record=dossier_record, sheet_title=_("Dossiers")
            ),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="dossiers.xlsx"'
        return response
    page = Paginator(queryset, DOSSIERS_PER_PAGE).get_page(request.GET.get("page"))
    numbers = figures(queryset)
    requested_granted = [_("requested"), _("granted")]
    by_state = [(label, [count]) for label, count in numbers["by_state"]]
    charts = [
        {
            "id": "chart-state",
            "title": _("Dossiers by state"),
            "rows": by_state,
            "headers": [_("State"), _("Dossiers")],
            "svg": bar_chart(
                "chart-state",
                _("Dossiers by state"),
                _("Number of filed dossiers in each state, for the dossiers listed."),
                by_state,
                [_("Dossiers")],
            ),
        },
        {
            "id": "chart-country",
            "title": _("Requested and granted by country (euros)"),
            "rows": numbers["by_country"],
            "headers": [_("Country"), *requested_granted],
            "svg": bar_chart(
                "chart-country",
                _("Requested and granted by country (euros)"),
                _("Amounts requested and granted for the ten countries with the largest requests."),
                numbers["by_country"],
                requested_granted,
            ),
        },
        {
            "id": "chart-region",
            "title": _("Requested and granted by région (euros)"),
            "rows": numbers["by_region"],
            "headers": [_("Région"), *requested_granted],
            "svg": bar_chart(
                "chart-region",
                _("Requested and granted by région (euros)"),
                _("Amounts requested and granted for the ten régions with the largest requests."),
                numbers["by_region"],
                requested_granted,
            ),
        },
    ]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return TemplateResponse(
        request,
        "funding/instruction/dossiers.html",
        {
            "filter": filterset,
            "page": page,
            "charts": charts,
            "query": query.urlencode(),
            "export_csv": _with(query, export="csv"),
            "export_xlsx": _with(query, export="xlsx"),
            "list_url": reverse("funding_dossiers"),
        },
    )


def _with(query, **values):
    query = query.copy()
    for key, value in values.items():
        query[key] = value
    return "?" + query.urlencode()
