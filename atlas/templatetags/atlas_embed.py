"""The embeddable map's snippet (atlas/embed.py) in a field to copy: {% embed_snippet authority=authority %},
{% embed_snippet region="53" %} or {% embed_snippet network=network %}; and {% embed_networks as networks %},
the networks whose members have cooperations (the open-data page lists their numbers)."""

from django import template

from portal.core.territories import REGION_CHOICES

from .. import embed
from ..models import Network

register = template.Library()


@register.inclusion_tag("atlas/includes/embed_snippet.html", takes_context=True)
def embed_snippet(context, authority=None, region=None, network=None, field_id="embed-snippet"):
    if authority is not None:
        scope = embed.Scope.of_authority(authority)
    elif network is not None:
        scope = embed.Scope.of_network(network)
    else:
        scope = embed.Scope.of_region(region)
    request = context["request"]
    return {
        "snippet": embed.snippet(request, scope),
        "preview_url": embed.embed_url(request, scope),
        "field_id": field_id,
    }


@register.simple_tag
def embed_networks():
    return list(Network.objects.filter(authorities__cooperations__isnull=False).distinct().order_by("name"))


@register.simple_tag
def embed_regions():
    return REGION_CHOICES
