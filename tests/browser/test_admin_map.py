"""The admin's location map: the portal's own basemap (no tile server), and a click, a drag or typed
coordinates set the point the form saves."""

import re

import pytest
from playwright.sync_api import expect

from atlas.models import Country
from tests.accounts.factories import EmbassyFactory, agent_of
from tests.browser.test_extranet import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POINT = re.compile(r"^SRID=4326;POINT\((-?[\d.]+) (-?[\d.]+)\)$")


# True once the element has not moved for two animation frames: no pan or zoom animation is running.
SETTLED = """selector => new Promise(resolve => {
  const element = document.querySelector(selector);
  const before = element.getBoundingClientRect();
  requestAnimationFrame(() => requestAnimationFrame(() => {
    const after = element.getBoundingClientRect();
    resolve(before.x === after.x && before.y === after.y);
  }));
})"""


def point_of(page):
    value = page.locator("#id_location").input_value()
    match = POINT.match(value)
    assert match, value
    return float(match.group(1)), float(match.group(2))  # longitude, latitude


def test_a_click_on_the_admin_map_sets_the_point(browser, live_server, home):
    base = live_server.url
    senegal = Country.objects.get(code="SN")
    agent = agent_of(EmbassyFactory(name="Ambassade de France au Sénégal", countries=[senegal]))
    page = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    external = []
    page.on("request", lambda request: None if request.url.startswith(base) else external.append(request.url))
    log_in(page, base, agent.username)
    page.goto(f"{base}/admin/snippets/atlas/partnerauthority/add/")

    map_box = page.locator("#id_location_map")
    expect(map_box).to_have_attribute("data-basemap", "loaded")
    # The world outlines are drawn, and nothing comes from another host (no tiles, no CDN).
    assert map_box.locator(".leaflet-overlay-pane path").count() > 0
    assert map_box.locator("img.leaflet-tile").count() == 0
    assert external == []
    # A new record has no point yet: no marker, nothing that looks chosen.
    assert page.locator("#id_location").input_value() == ""
    assert page.locator("#id_location_latlng").input_value() == ""
    assert map_box.locator(".leaflet-marker-icon").count() == 0

    map_box.scroll_into_view_if_needed()
    map_box.click(position={"x": 200, "y": 150})
    expect(page.locator("#id_location")).to_have_value(POINT)
    expect(map_box.locator(".leaflet-marker-icon")).to_have_count(1)
    west_lng, west_lat = point_of(page)
    lat, lng = (float(v) for v in page.locator("#id_location_latlng").input_value().split(","))
    assert (lat, lng) == (west_lat, west_lng)

    # Further right on the marker's row: further east, same latitude. The map may still be moving after the
    # first click (the widget pans to a new point): wait until it rests, then click beside the marker's tip.
    page.wait_for_function(SETTLED, arg="#id_location_map .leaflet-marker-icon")
    box, frame = map_box.locator(".leaflet-marker-icon").bounding_box(), map_box.bounding_box()
    tip_x, tip_y = box["x"] + box["width"] / 2 - frame["x"], box["y"] + box["height"] - frame["y"]
    map_box.click(position={"x": min(tip_x + 200, frame["width"] - 10), "y": tip_y})
    expect(page.locator("#id_location")).not_to_have_value(f"SRID=4326;POINT({west_lng} {west_lat})")
    east_lng, east_lat = point_of(page)
    assert east_lng > west_lng
    assert abs(east_lat - west_lat) < 0.01

    # Dragging the marker moves the point too.
    marker = map_box.locator(".leaflet-marker-icon")
    box = marker.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] - 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] + 100, steps=10)
    page.mouse.up()
    expect(page.locator("#id_location")).not_to_have_value(f"SRID=4326;POINT({east_lng} {east_lat})")
    dragged_lng, dragged_lat = point_of(page)
    assert dragged_lat < east_lat

    # Typed coordinates set it as well (latitude, longitude).
    page.locator("#id_location_latlng").fill("14.15,-16.07")
    expect(page.locator("#id_location")).to_have_value("SRID=4326;POINT(-16.07 14.15)")
