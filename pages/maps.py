"""Atlas maps on editorial pages, configured as the Atlas pages configure theirs."""

import json

from django.templatetags.static import static


def map_config(request, **config):
    """What the Atlas map script needs, handed over as JSON in a data attribute (never as inline globals)."""
    from portal.models import PortalSettings

    portal = PortalSettings.for_request(request) if request is not None else None
    tiles = (
        {"url": portal.map_tile_url, "attribution": portal.map_tile_attribution}
        if portal and portal.map_tile_url
        else None
    )
    return json.dumps({"basemap": static("vendor/world-atlas/countries-50m.json"), "tiles": tiles, **config})
