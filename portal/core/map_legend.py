"""One colour legend for every map of the portal, from this one definition:

- the web maps: `legend_config()` travels in the map configuration JSON (portal/core/maps.py) and
  static/atlas/js/atlas-map.js draws its markers and ties with these colours only;
- the PDF export's map (atlas/exports/pdf.py) fills its dots with the same colours;
- the captions under the maps and in the PDF (templates/atlas/includes/map_legend.html, through the
  `map_legend` template tag) show the same swatches with their meaning in words.
"""

from django.utils.translation import gettext_lazy as _

# Dots: DSFR blue for the French authorities, red for the foreign partners, green for tourism places.
MARKERS = {
    "authority": {"stroke": "#000091", "fill": "#6a6af4", "label": _("French authority")},
    "partner": {"stroke": "#c9191e", "fill": "#f95c5e", "label": _("Partner authority")},
    "place": {"stroke": "#18753c", "fill": "#27a658", "label": _("Experience or event")},
}
# Lines between an authority and its partner (drawn on the authority and partner pages).
TIES = {
    "cooperation": {"stroke": "#000091", "dash": "", "label": _("Decentralised cooperation")},
    "external_action": {"stroke": "#b34000", "dash": "4 4", "label": _("Other external action")},
}


def legend_config():
    """The colours as the map script reads them; the words stay in the captions."""
    return {
        "markers": {key: {"stroke": m["stroke"], "fill": m["fill"]} for key, m in MARKERS.items()},
        "ties": {key: {"stroke": t["stroke"], "dash": t["dash"]} for key, t in TIES.items()},
    }


def legend_items(markers=("authority", "partner"), ties=False, labels=None):
    """The caption's entries: the dots a map shows (`markers`), then the two kinds of tie when drawn.
    `labels` renames a dot for a map where it means something narrower (the Bourse's projects)."""
    labels = labels or {}
    items = [
        {"shape": "dot", "label": labels.get(key, MARKERS[key]["label"]), **MARKERS[key]} for key in markers
    ]
    if ties:
        items += [{"shape": "line", **tie} for tie in TIES.values()]
    return items
