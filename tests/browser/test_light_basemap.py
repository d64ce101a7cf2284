"""The world basemap at the zoom's resolution (issue 14): a map opens on the 1:110m outlines and fetches the
1:50m ones only once zoomed in, and once on screen."""

import pytest
from playwright.sync_api import expect

from atlas.models import Country
from tests.atlas.factories import (
    AtlasPageFactory,
    AuthorityFactory,
    CooperationFactory,
    PartnerAuthorityFactory,
    ProjectFactory,
)
from tests.browser.conftest import wait_for_map

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def atlas(home):
    atlas = AtlasPageFactory(parent=home, slug="atlas", title="Atlas de la coopération décentralisée")
    rennes = AuthorityFactory(name="Rennes", latitude=48.11, longitude=-1.68)
    partner = PartnerAuthorityFactory(
        name="Kaolack", country=Country.objects.get(code="SN"), latitude=14.15, longitude=-16.07
    )
    ProjectFactory(cooperation=CooperationFactory(authority=rennes, partner=partner), title="Eau à Kaolack")
    return atlas


def test_a_world_map_loads_the_light_outlines_then_the_detailed_ones_once_zoomed(page, live_server, atlas):
    outlines = []
    page.on("request", lambda request: "world-atlas" in request.url and outlines.append(request.url))
    page.goto(live_server.url + atlas.url)
    wait_for_map(page)
    map_box = page.locator(".atlas-map").first
    expect(map_box).to_have_attribute("data-basemap", "world")
    assert [url.rsplit("/", 1)[-1] for url in outlines] == ["countries-110m.json"]

    zoom_in = map_box.locator(".leaflet-control-zoom-in")
    # Leaflet ignores a zoom asked for while the previous one still animates: click until the map is zoomed
    # in far enough (at most the map's twelve levels), each time once the animation is over.
    for _ in range(12):
        if map_box.get_attribute("data-basemap") == "detailed":
            break
        zoom_in.click()
        page.wait_for_function("() => !document.querySelector('.atlas-map .leaflet-zoom-anim')")
    expect(map_box).to_have_attribute("data-basemap", "detailed", timeout=60_000)
    assert any(url.endswith("countries-50m.json") for url in outlines)
    # The outlines are drawn on a canvas of their own, under the markers.
    assert map_box.locator(".leaflet-basemap-pane canvas").count() == 1
    assert map_box.locator(".leaflet-basemap-pane path").count() == 0
