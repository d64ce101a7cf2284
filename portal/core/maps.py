"""Atlas maps on editorial pages, configured as the Atlas pages configure theirs."""

import json

from django.templatetags.static import static

from portal.core.map_legend import legend_config

# The world's outlines at 1:110m (about 100 kB) draw every map at first; the 1:50m ones (750 kB), precise
# enough for towns, are fetched only once the map is zoomed in to DETAIL_ZOOM or more (atlas-map.js).
WORLD_BASEMAP = "vendor/world-atlas/countries-110m.json"
DETAIL_BASEMAP = "vendor/world-atlas/countries-50m.json"
DETAIL_ZOOM = 4


def map_config(request, **config):
    """What the Atlas map script needs, handed over as JSON in a data attribute (never as inline globals)."""
    from portal.models import PortalSettings

    portal = PortalSettings.for_request(request) if request is not None else None
    tiles = (
        {"url": portal.map_tile_url, "attribution": portal.map_tile_attribution}
        if portal and portal.map_tile_url
        else None
    )
    # The colours travel with every map, so the script, the captions and the PDF share one legend.
    return json.dumps(
        {
            "basemap": static(WORLD_BASEMAP),
            "basemap_detail": static(DETAIL_BASEMAP),
            "basemap_detail_zoom": DETAIL_ZOOM,
            "tiles": tiles,
            "legend": legend_config(),
            **config,
        }
    )
