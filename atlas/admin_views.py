"""The online update of the Atlas (téléprocédure): an authority's five parts, each confirmed by its agents."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wagtail.log_actions import log

from portal.accounts.scope import scope_for

from . import scope_rules
from .models import Authority, Cooperation, PartConfirmation
from .panels import render_panels

PART_LINKS = {
    PartConfirmation.Part.CONTACTS: "wagtailsnippets_atlas_contact:list",
    PartConfirmation.Part.NETWORKS: "wagtailsnippets_atlas_authority:edit",
    PartConfirmation.Part.AID: "aid_declarations",
    PartConfirmation.Part.COOPERATIONS: "wagtailsnippets_atlas_cooperation:list",
    PartConfirmation.Part.EXTERNAL_ACTIONS: "wagtailsnippets_atlas_cooperation:list",
}

#: Panels the products add under each authority of "Mes fiches Atlas" (the update campaign's progress):
#: fn(request, authority) -> HTML (a safe string) or None. The Atlas imports no product.
AUTHORITY_ADMIN_PANELS = "atlas_authority_admin_panels"


def part_url(part, authority):
    """The admin page where an agent keeps one part of an authority's records."""
    url_name = PART_LINKS[part]
    return reverse(url_name, args=[authority.pk]) if url_name.endswith(":edit") else reverse(url_name)


def records_home(request):
    scope = scope_for(request.user)
    if not scope.is_agent:
        raise PermissionDenied
    authorities = scope_rules.authorities(scope)
    query = request.GET.get("q", "").strip()[:100]
    if scope.is_delegation:
        authorities = authorities.filter(name__icontains=query) if query else authorities.none()
    authorities = list(
        authorities.annotate(
            n_contacts=Count("contacts", distinct=True),
            n_networks=Count("networks", distinct=True),
            n_cooperations=Count(
                "cooperations", filter=Q(cooperations__kind=Cooperation.Kind.COOPERATION), distinct=True
            ),
            n_external=Count(
                "cooperations", filter=Q(cooperations__kind=Cooperation.Kind.EXTERNAL_ACTION), distinct=True
            ),
        ).order_by("name")[:20]
    )
    last = {
        (row["authority_id"], row["part"]): row["last"]
        for row in PartConfirmation.objects.filter(authority__in=authorities)
        .values("authority_id", "part")
        .annotate(last=Max("confirmed_at"))
    }
    external = {
        authority.pk: list(
            Cooperation.objects.filter(authority=authority, kind=Cooperation.Kind.EXTERNAL_ACTION)
            .select_related("partner__country")
            .annotate(n_projects=Count("projects"))
        )
        for authority in authorities
    }
    rows = []
    for authority in authorities:
        counts = {
            PartConfirmation.Part.CONTACTS: authority.n_contacts,
            PartConfirmation.Part.NETWORKS: authority.n_networks,
            PartConfirmation.Part.AID: None,
            PartConfirmation.Part.COOPERATIONS: authority.n_cooperations,
            PartConfirmation.Part.EXTERNAL_ACTIONS: authority.n_external,
        }
        parts = []
        for part, label in PartConfirmation.Part.choices:
            parts.append(
                {
                    "key": part,
                    "label": label,
                    "count": counts[part],
                    "url": part_url(part, authority),
                    "confirmed_at": last.get((authority.pk, part)),
                }
            )
        rows.append(
            {
                "authority": authority,
                "parts": parts,
                "external": external[authority.pk],
                "panels": render_panels(AUTHORITY_ADMIN_PANELS, request, authority),
            }
        )
    return TemplateResponse(
        request,
        "atlas/admin/records_home.html",
        {
            "rows": rows,
            "query": query,
            "is_delegation": scope.is_delegation,
        },
    )


@require_POST
def confirm_part(request, authority_id, part):
    authority = get_object_or_404(Authority, pk=authority_id)
    if part not in PartConfirmation.Part.values:
        raise PermissionDenied
    if not scope_rules.authorities(scope_for(request.user)).filter(pk=authority.pk).exists():
        raise PermissionDenied
    confirmation = PartConfirmation.objects.create(authority=authority, part=part, confirmed_by=request.user)
    log(
        instance=authority,
        action="atlas.part_confirmed",
        user=request.user,
        data={"part": part, "confirmation": confirmation.pk},
    )
    messages.success(
        request,
        _("“%(part)s” is confirmed for %(name)s.")
        % {"part": confirmation.get_part_display(), "name": authority.name},
    )
    return redirect("atlas_records")


@require_POST
def convert_external_action(request, pk):
    """ "This is in fact a decentralised cooperation": one step, the projects stay attached."""
    cooperation = get_object_or_404(Cooperation, pk=pk, kind=Cooperation.Kind.EXTERNAL_ACTION)
    if not scope_for(request.user).may_change(cooperation):
        raise PermissionDenied
    if Cooperation.objects.filter(
        authority_id=cooperation.authority_id,
        partner_id=cooperation.partner_id,
        kind=Cooperation.Kind.COOPERATION,
    ).exists():
        messages.error(
            request,
            _(
                "A decentralised cooperation with this partner already exists: "
                "move the projects to it, then delete this external action."
            ),
        )
        return redirect("atlas_records")
    cooperation.convert_to_cooperation()
    log(instance=cooperation, action="wagtail.edit", user=request.user)
    messages.success(
        request,
        _("The external action with %(partner)s is now a decentralised cooperation.")
        % {"partner": cooperation.partner.name},
    )
    return redirect("atlas_records")
