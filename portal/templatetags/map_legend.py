from django import template

from portal.core.map_legend import legend_items

register = template.Library()


@register.inclusion_tag("atlas/includes/map_legend.html")
def map_legend(markers="authority partner", ties=False, partner_label=None):
    """The colour legend of a map, e.g. {% map_legend "authority partner" ties=True %}."""
    labels = {"partner": partner_label} if partner_label else None
    return {"items": legend_items(markers.split(), bool(ties), labels)}
