"""What the campaign adds to other pages through their hooks: the progress under each authority of "Mes
fiches Atlas", and, once a campaign is closed, the date of the last full verification on the Atlas home and
on each authority's page."""

from django.db.models import Count
from django.template.loader import render_to_string

from atlas.admin_views import part_url
from atlas.models import Authority
from atlas.queries import cached

from .models import UpdateCampaign
from .progress import N_PARTS, last_full_verification, part_status

#: How long the public panels keep their figures (the Atlas version renews them sooner).
PANEL_SECONDS = 300
#: How many closed campaigns an authority page looks back through for its last full verification.
CAMPAIGNS_LOOKED_BACK = 10


def current_campaign(request):
    """The campaign open now, read once per request ("Mes fiches" shows a panel for each authority)."""
    if not hasattr(request, "_current_campaign"):
        request._current_campaign = UpdateCampaign.objects.current().first()
    return request._current_campaign


def authority_parts(campaign, authority):
    """The five parts of an authority for the campaign: what is verified (when, by whom), what is left, and
    the admin page where each part is kept."""
    return [
        {"key": part, "label": label, "confirmation": confirmation, "url": part_url(part, authority)}
        for part, label, confirmation in part_status(campaign, authority)
    ]


def admin_authority_panel(request, authority):
    """Under an authority of "Mes fiches Atlas": the open campaign's parts left to verify."""
    campaign = current_campaign(request)
    if campaign is None:
        return None
    parts = authority_parts(campaign, authority)
    left = [part for part in parts if part["confirmation"] is None]
    return render_to_string(
        "campaigns/admin/authority_panel.html",
        {"campaign": campaign, "authority": authority, "parts": parts, "left": left, "n_parts": N_PARTS},
        request=request,
    )


def closed_campaigns():
    return UpdateCampaign.objects.closed()


def authority_panel(request, authority):
    """On an authority's public page: when it last verified its five parts for a campaign."""

    def build():
        campaigns = list(closed_campaigns()[:CAMPAIGNS_LOOKED_BACK])
        return campaigns, (last_full_verification(authority, campaigns) if campaigns else None)

    # Keyed on the Atlas version (a confirmation or a campaign changed bumps it), kept a few minutes at most:
    # a campaign also closes by the clock.
    campaigns, found = cached(f"campaigns:authority:{authority.pk}", build, timeout=PANEL_SECONDS)
    if not campaigns:
        return None
    return render_to_string(
        "campaigns/public/authority_panel.html",
        {
            "campaign": found[0] if found else None,
            "verified_on": found[1] if found else None,
            "last_campaign": campaigns[0],
        },
        request=request,
    )


def home_panel(request, page):
    """On the Atlas home: the last closed campaign and how many authorities verified their five parts."""

    def build():
        campaign = closed_campaigns().first()
        if campaign is None:
            return None
        complete = (
            campaign.window_confirmations()
            .order_by()
            .values("authority_id")
            .annotate(n=Count("part", distinct=True))
            .filter(n__gte=N_PARTS)
        )
        return {"campaign": campaign, "complete": complete.count(), "total": Authority.objects.count()}

    context = cached("campaigns:home", build, timeout=PANEL_SECONDS)
    if context is None:
        return None
    return render_to_string("campaigns/public/home_panel.html", context, request=request)
