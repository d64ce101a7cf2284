"""The applicant side in the admin: start a dossier (blank or from a past one), its preparation page
(eligibility rule by rule, documents, filing), the private files (documents, receipt).

Every view looks its dossier up within what the scope lets the user see (404 otherwise) and checks the right
to change it before any write; a refused write changes nothing. The dossier's text, partners and budget are
edited in the admin's edit form (wagtail_hooks.ApplicationViewSet), which autosaves."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wagtail import hooks
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from portal.accounts.scope import scope_for
from portal.core.private_files import serve_private_file

from . import workflow
from .eligibility import check_eligibility
from .forms import AttachmentForm, StartForm
from .links import preparation_url
from .models import Application, Attachment, BudgetLine, Call, ForeignPartner, FrenchPartner

State = Application.State
#: Panels the instruction adds to the preparation page: fn(request, application) -> safe HTML or None.
PREPARATION_PANELS_HOOK = "funding_preparation_panels"
HISTORY_LENGTH = 30


def visible_application(request, pk):
    application = (
        scope_for(request.user)
        .visible(Application)
        .select_related("call", "organisation", "lead_authority", "country")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404
    return application


def editable_application(request, pk):
    application = visible_application(request, pk)
    if not scope_for(request.user).may_change(application):
        raise PermissionDenied
    return application


def edit_url(application):
    return reverse("wagtailsnippets_funding_application:edit", args=[application.pk])


# Starting a dossier ----------------------------------------------------------------------------------------


def start(request):
    """A new draft for an open call: blank, or a copy of one of the authority's past dossiers."""
    # Authority agents only: the Délégation files no dossier (it instructs them).
    if not scope_for(request.user).authority_ids:
        raise PermissionDenied
    initial = {}
    call_id = request.GET.get("call", "")
    if call_id.isdigit():
        initial["call"] = call_id
    form = StartForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        application = create_dossier(form.cleaned_data, request.user)
        messages.success(request, _("Your draft is saved. Fill it in at your pace: it saves as you type."))
        return redirect(edit_url(application))
    return TemplateResponse(
        request,
        "funding/admin/start.html",
        {
            "form": form,
            "open_calls": form.fields["call"].queryset,
            "upcoming_calls": Call.objects.upcoming().order_by("opens_at")[:10],
        },
        status=400 if form.errors else 200,
    )


@transaction.atomic
def create_dossier(data, user):
    organisation = data["organisation"]
    source = data["duplicate_from"]
    application = Application(
        call=data["call"],
        organisation=organisation,
        lead_authority=organisation.authority,
        title=data["title"],
        created_by=user,
    )
    if source is not None:
        for name in ("country", "summary", "objectives", "activities", "duration_years"):
            setattr(application, name, getattr(source, name))
        application.duplicated_from = source
    application.save()
    if source is not None:
        application.themes.set(source.themes.all())
        FrenchPartner.objects.bulk_create(
            FrenchPartner(application=application, authority_id=line.authority_id, sort_order=line.sort_order)
            for line in source.french_partner_lines.all()
        )
        ForeignPartner.objects.bulk_create(
            ForeignPartner(application=application, partner_id=line.partner_id, sort_order=line.sort_order)
            for line in source.foreign_partner_lines.all()
        )
        BudgetLine.objects.bulk_create(
            BudgetLine(
                application=application,
                category=line.category,
                label=line.label,
                amount=line.amount,
                sort_order=line.sort_order,
            )
            for line in source.budget_lines.all()
        )
    # The first revision: the history starts with the dossier's creation by this agent.
    application.save_revision(user=user, log_action=True)
    return application


# The preparation page --------------------------------------------------------------------------------------


def history(application, user):
    """The dossier's steps and its edits, newest first: who, when, what."""
    scope = scope_for(user)
    events = application.events.select_related("user")
    if not scope.is_delegation:
        events = events.filter(visible_to_applicant=True)
    entries = [
        {"at": event.at, "user": event.user, "label": event_label(event), "motivation": event.motivation}
        for event in events.order_by("-at")[:HISTORY_LENGTH]
    ]
    logs = (
        ModelLogEntry.objects.for_instance(application)
        .select_related("user")
        .order_by("-timestamp")[:HISTORY_LENGTH]
    )
    entries += [
        {"at": entry.timestamp, "user": entry.user, "label": entry.message, "motivation": ""}
        for entry in logs
    ]
    entries.sort(key=lambda entry: entry["at"], reverse=True)
    return entries[:HISTORY_LENGTH]


def event_label(event):
    if event.from_state:
        return _("%(from)s → %(to)s") % {
            "from": State(event.from_state).label,
            "to": State(event.to_state).label,
        }
    return State(event.to_state).label


def application_page(request, pk, attachment_form=None, status=200):
    application = visible_application(request, pk)
    scope = scope_for(request.user)
    editable = scope.may_change(application)
    lines = list(application.budget_lines.all())
    panels = [panel(request, application) for panel in hooks.get_hooks(PREPARATION_PANELS_HOOK)]
    context = {
        "application": application,
        "call": application.call,
        "editable": editable,
        "edit_url": edit_url(application),
        "eligibility": check_eligibility(application) if editable else None,
        "expenses": [line for line in lines if line.is_expense],
        "resources": [line for line in lines if not line.is_expense],
        "totals": application.budget_totals(),
        "french_partners": application.french_partners.all(),
        "foreign_partners": application.foreign_partners.select_related("country"),
        "attachments": application.attachments.all(),
        "attachment_form": attachment_form or AttachmentForm(),
        "history": history(application, request.user),
        "panels": [panel for panel in panels if panel],
        "follow_up_url": reverse("funding_dossier", args=[application.pk]),
        "now": timezone.now(),
    }
    return TemplateResponse(request, "funding/admin/application.html", context, status=status)


@require_POST
def file_application(request, pk):
    """Files the dossier (or files it again after a correction); a refusal says why, rule by rule, and the
    dossier stays as it was typed."""
    application = visible_application(request, pk)
    try:
        workflow.transition(application, State.FILED, request.user)
    except workflow.TransitionRefused as refusal:
        # Back to the dossier's page, which lists every rule again; reloading it posts nothing.
        messages.error(
            request,
            _("The dossier was not filed. Nothing you typed is lost: %(reasons)s")
            % {"reasons": " ".join(refusal.messages)},
        )
        return redirect(preparation_url(application))
    messages.success(
        request,
        _(
            "Your dossier is filed. Its receipt is ready and every agent of your organisation is told "
            "by e-mail."
        ),
    )
    return redirect(preparation_url(application))


# Documents -------------------------------------------------------------------------------------------------


@require_POST
def upload_attachment(request, pk):
    application = editable_application(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return application_page(request, pk, attachment_form=form, status=400)
    attachment = form.save(commit=False)
    attachment.application = application
    attachment.uploaded_by = request.user
    attachment.save()
    log(application, "funding.attachment_added", user=request.user, data={"name": attachment.original_name})
    messages.success(request, _("“%(name)s” is attached.") % {"name": attachment.original_name})
    return redirect(preparation_url(application) + "#documents")


def attachment_of(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("application"), pk=pk)
    if not scope_for(request.user).may_view(attachment.application):
        raise Http404
    return attachment


def download_attachment(request, pk):
    attachment = attachment_of(request, pk)
    return serve_private_file(attachment.file, attachment.original_name, attachment.content_type)


@require_POST
def delete_attachment(request, pk):
    attachment = attachment_of(request, pk)
    application = attachment.application
    if not scope_for(request.user).may_change(application):
        raise PermissionDenied
    name = attachment.original_name
    attachment.file.delete(save=False)
    attachment.delete()
    log(application, "funding.attachment_removed", user=request.user, data={"name": name})
    messages.success(request, _("“%(name)s” is removed.") % {"name": name})
    return redirect(preparation_url(application) + "#documents")


def receipt(request, pk):
    application = visible_application(request, pk)
    if not application.receipt:
        raise Http404
    return serve_private_file(
        application.receipt, f"recepisse-{application.reference}.pdf", "application/pdf"
    )
