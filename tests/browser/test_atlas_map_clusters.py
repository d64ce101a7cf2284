"""The Atlas map beyond its marker limit (ten times the 2012 Atlas): the server sends clusters, choosing one
zooms in, and the map then asks for its view and draws its markers with their links."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import wait_for_map
from tests.browser.test_atlas import atlas_data  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_server_clusters_zoom_in_to_markers_with_links(page, live_server, atlas_data, settings):  # noqa: F811
    # Three markers (Rennes, Kaolack, Sikasso) against a limit of two: the world map is clusters.
    settings.ATLAS_MAP_MARKER_LIMIT = 2
    atlas, _rennes = atlas_data
    page.goto(live_server.url + atlas.url)
    wait_for_map(page)
    atlas_map = page.locator(".atlas-map")
    expect(atlas_map).to_have_attribute("data-markers", "3")
    bubbles = page.locator(".atlas-map .atlas-server-cluster")
    expect(bubbles).to_have_count(2)  # France, and West Africa's two partners together
    africa = bubbles.filter(has_text="2")
    expect(africa).to_have_attribute("title", "Collectivité partenaire (2)")
    africa.click()
    # Closer, the two partners are apart (and France still in view): three clusters of one.
    expect(bubbles).to_have_count(3)
    page.locator('.atlas-map .atlas-server-cluster[title^="Collectivité partenaire"]').first.click()
    # Closer still, the view holds the two partners only: their markers come instead of clusters.
    expect(bubbles).to_have_count(0)
    expect(atlas_map).to_have_attribute("data-markers", "2")
    markers = page.locator(".atlas-map path.leaflet-interactive")
    expect(markers).to_have_count(2)
    markers.first.click(force=True)
    expect(page.locator(".leaflet-popup-content a")).to_have_attribute(
        "href", re.compile(r"/partenaires/\d+/$")
    )
