"""The campaign in the Wagtail admin: the Délégation opens, follows and closes it; prefectures follow their
territory and remind the late authorities; ministries and operators read the national views; authority agents
see what is left for them. Every view asks the organisation scope (rules.py) before anything."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from atlas.exports.tabular import csv_lines
from atlas.models import Authority
from portal.accounts.scope import scope_for
from portal.core.territories import DEPARTEMENTS

from . import cartogram
from .exports import COLUMNS, progress_queryset, progress_record
from .models import CampaignReminder, CampaignSending, UpdateCampaign
from .panels import authority_parts, current_campaign
from .progress import (
    N_PARTS,
    STATUS_LABELS,
    departement_rows,
    progress_table,
    status_of,
    with_progress,
)
from .rules import dashboard_authorities, follows_campaigns
from .services import REMINDER_INTERVAL, Refused, close_campaign, open_campaign, remind, send_campaign

LATE_PER_PAGE = 50
FAILURES_SHOWN = 100


def require_delegation(request):
    if not scope_for(request.user).is_delegation:
        raise PermissionDenied


# The Délégation's pages ------------------------------------------------------------------------------------


@require_safe
def index(request):
    scope = scope_for(request.user)
    if not follows_campaigns(scope) and not scope.is_delegation:
        raise PermissionDenied
    campaigns = scope.visible(UpdateCampaign).order_by("-year")
    if scope.is_delegation:
        campaigns = campaigns.annotate(
            n_sendings=Count("sendings"),
            n_sent=Count("sendings", filter=Q(sendings__status=CampaignSending.Status.SENT)),
            n_failed=Count("sendings", filter=Q(sendings__status=CampaignSending.Status.FAILED)),
        )
    return TemplateResponse(
        request,
        "campaigns/admin/index.html",
        {
            "campaigns": campaigns,
            "is_delegation": scope.is_delegation,
            "reads_dashboard": dashboard_authorities(scope) is not None,
            "has_authority": bool(scope.authority_ids),
            "now": timezone.now(),
        },
    )


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format="%Y-%m-%dT%H:%M")


class CampaignForm(forms.ModelForm):
    """Dates typed in Europe/Paris (the site's time zone), stored in UTC."""

    class Meta:
        model = UpdateCampaign
        fields = ["year", "opens_at", "closes_at", "message"]
        widgets = {"opens_at": DateTimeLocalInput(), "closes_at": DateTimeLocalInput()}
        error_messages = {"year": {"unique": gettext_lazy("A campaign of this year already exists.")}}
        help_texts = {
            "opens_at": gettext_lazy("Paris time. Parts verified from this moment count for the campaign."),
            "closes_at": gettext_lazy("Paris time. The e-mails tell the authorities this date."),
            "message": gettext_lazy(
                "Sent to every authority's officials and agents, and to the prefectures."
            ),
        }

    def clean_closes_at(self):
        closes_at = self.cleaned_data["closes_at"]
        if closes_at and closes_at <= timezone.now():
            raise forms.ValidationError(_("The closing date is already past."))
        return closes_at


def open_view(request):
    require_delegation(request)
    now = timezone.localtime()
    initial = {
        "year": now.year,
        "opens_at": now.replace(second=0, microsecond=0),
        "closes_at": (now + datetime.timedelta(weeks=6)).replace(hour=23, minute=59, second=0, microsecond=0),
    }
    form = CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        campaign = open_campaign(
            year=data["year"],
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            message=data["message"],
            user=request.user,
        )
        messages.success(
            request,
            _("The campaign %(year)s is open: %(count)s e-mails are being sent.")
            % {"year": campaign.year, "count": campaign.sendings.count()},
        )
        return redirect("campaigns:detail", campaign.pk)
    return TemplateResponse(request, "campaigns/admin/open.html", {"form": form})


@require_safe
def detail(request, pk):
    require_delegation(request)
    campaign = get_object_or_404(UpdateCampaign, pk=pk)
    counts = dict(campaign.sendings.order_by().values_list("status").annotate(n=Count("pk")))
    waiting = campaign.sendings.filter(status=CampaignSending.Status.QUEUED, handed_at__isnull=True).count()
    failures = campaign.sendings.filter(status=CampaignSending.Status.FAILED).select_related(
        "authority", "organisation"
    )[:FAILURES_SHOWN]
    return TemplateResponse(
        request,
        "campaigns/admin/detail.html",
        {
            "campaign": campaign,
            "queued": counts.get(CampaignSending.Status.QUEUED, 0),
            "sent": counts.get(CampaignSending.Status.SENT, 0),
            "failed": counts.get(CampaignSending.Status.FAILED, 0),
            "total": sum(counts.values()),
            "waiting": waiting,
            "failures": failures,
            "is_open": campaign.is_open(),
            "is_closed": campaign.is_closed(),
        },
    )


@require_POST
def resume(request, pk):
    """Hands the sendings never handed to the mailer (after a crash of the worker, say) to a new task."""
    require_delegation(request)
    campaign = get_object_or_404(UpdateCampaign, pk=pk)
    if campaign.is_closed():
        messages.error(request, _("This campaign is closed: its e-mails are no longer sent."))
    else:
        send_campaign.enqueue(campaign.pk)
        messages.success(request, _("The e-mails left are being sent."))
    return redirect("campaigns:detail", campaign.pk)


@require_POST
def close(request, pk):
    require_delegation(request)
    campaign = get_object_or_404(UpdateCampaign, pk=pk)
    if campaign.state == UpdateCampaign.State.CLOSED:
        messages.error(request, _("This campaign is already closed."))
    else:
        close_campaign(campaign)
        messages.success(request, _("The campaign %(year)s is closed.") % {"year": campaign.year})
    return redirect("campaigns:detail", campaign.pk)


# Dashboards ------------------------------------------------------------------------------------------------


def dashboard_scope(request, pk):
    scope = scope_for(request.user)
    authorities = dashboard_authorities(scope)
    if authorities is None:
        raise PermissionDenied
    campaign = get_object_or_404(scope.visible(UpdateCampaign), pk=pk)
    return scope, campaign, authorities


def late_authorities(campaign, authorities, departement=None):
    """The territory's authorities not done, the least advanced first, with their last reminder."""
    last_reminder = (
        CampaignReminder.objects.filter(authority=OuterRef("pk")).order_by("-sent_at").values("sent_at")[:1]
    )
    late = with_progress(campaign, authorities).filter(n_verified__lt=N_PARTS)
    if departement:
        late = late.filter(departement=departement)
    return (
        late.annotate(last_reminder=Subquery(last_reminder))
        .only("name", "slug", "kind", "region", "departement")
        .order_by("n_verified", "name")
    )


@require_safe
def dashboard(request, pk):
    scope, campaign, authorities = dashboard_scope(request, pk)
    france, regions = progress_table(campaign, authorities)
    departement = request.GET.get("departement", "")
    if departement not in DEPARTEMENTS:
        departement = ""
    page = Paginator(late_authorities(campaign, authorities, departement), LATE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    now = timezone.now()
    may_remind = campaign.is_open(now) and (scope.is_delegation or scope.may_add(CampaignReminder))
    late = []
    for authority in page:
        reminded = authority.last_reminder
        late.append(
            {
                "authority": authority,
                "n_verified": authority.n_verified,
                "status": STATUS_LABELS[status_of(authority.n_verified)],
                "last_reminder": reminded,
                "may_remind": may_remind and not (reminded and reminded > now - REMINDER_INTERVAL),
            }
        )
    base = reverse("campaigns:dashboard", args=[campaign.pk])
    width, height = cartogram.size()
    return TemplateResponse(
        request,
        "campaigns/admin/dashboard.html",
        {
            "campaign": campaign,
            "is_open": campaign.is_open(now),
            "national": scope.reads_national_views,
            "france": france,
            "regions": regions,
            "tiles": cartogram.tiles(
                departement_rows(regions), lambda code: f"{base}?departement={code}#late"
            ),
            "legend": cartogram.legend(),
            "map_width": width,
            "map_height": height,
            "departement": departement,
            "departement_name": DEPARTEMENTS[departement][0] if departement else "",
            "page_obj": page,
            "late": late,
            "may_remind": may_remind,
            "n_parts": N_PARTS,
        },
    )


@require_safe
def dashboard_csv(request, pk):
    _scope, campaign, authorities = dashboard_scope(request, pk)
    response = StreamingHttpResponse(
        csv_lines(progress_queryset(campaign, authorities), "", COLUMNS, progress_record),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="campagne-{campaign.year}-avancement.csv"'
    return response


@require_POST
def remind_view(request, pk, authority_id):
    scope = scope_for(request.user)
    campaign = get_object_or_404(UpdateCampaign, pk=pk)
    authority = get_object_or_404(Authority, pk=authority_id)
    # The same rule as the list: the prefecture's territory (the Délégation anywhere).
    if not scope.admits(CampaignReminder(campaign=campaign, authority=authority, sent_by=request.user)):
        raise PermissionDenied
    try:
        reminder = remind(campaign, authority.pk, request.user)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("%(name)s is reminded (%(count)s recipients).")
            % {"name": authority.name, "count": reminder.recipients},
        )
    target = reverse("campaigns:dashboard", args=[campaign.pk])
    departement = request.POST.get("departement", "")
    if departement in DEPARTEMENTS:
        target += f"?departement={departement}"
    return redirect(target + "#late")


# The authority agent's page --------------------------------------------------------------------------------


@require_safe
def mine(request):
    scope = scope_for(request.user)
    # The Délégation may open it too (it acts for no authority: the page says so).
    if not scope.authority_ids and not scope.is_delegation:
        raise PermissionDenied
    campaign = current_campaign(request)
    rows = []
    if campaign is not None:
        for authority in Authority.objects.filter(pk__in=scope.authority_ids).order_by("name"):
            parts = authority_parts(campaign, authority)
            left = [part for part in parts if part["confirmation"] is None]
            rows.append({"authority": authority, "parts": parts, "left": left})
    return TemplateResponse(
        request,
        "campaigns/admin/mine.html",
        {"campaign": campaign, "rows": rows, "n_parts": N_PARTS},
    )
