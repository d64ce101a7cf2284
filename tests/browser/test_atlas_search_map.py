"""The Atlas search zooms its map on its results (issue 15): a Senegal search opens on Senegal, not on the
world, and its map shows the search's places, drawn from the map data of the same filters."""

import pytest
from playwright.sync_api import expect

from atlas.models import Country
from tests.atlas.factories import AtlasPageFactory, AuthorityFactory, PartnerAuthorityFactory, ProjectFactory
from tests.browser.conftest import assert_accessible, wait_for_map

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAKAR = (14.69, -17.44)
PARIS = (48.86, 2.35)


@pytest.fixture
def atlas(home):
    atlas = AtlasPageFactory(parent=home, slug="atlas", title="Atlas de la coopération décentralisée")
    paris = AuthorityFactory(
        name="Paris", region="11", departement="75", latitude=PARIS[0], longitude=PARIS[1]
    )
    senegal = Country.objects.get(code="SN")
    for name, lat, lng in [("Dakar", *DAKAR), ("Thiès", 14.79, -16.93), ("Saint-Louis", 16.03, -16.49)]:
        partner = PartnerAuthorityFactory(name=name, country=senegal, latitude=lat, longitude=lng)
        ProjectFactory(cooperation__authority=paris, cooperation__partner=partner)
    # Elsewhere: not the search's, not on its map.
    ProjectFactory(cooperation__authority=paris, cooperation__partner__name="Ouagadougou")
    return atlas


def view_of(page):
    """The map's view as atlas-map.js keeps it: (west, south, east, north)."""
    return tuple(float(value) for value in page.locator(".atlas-map").get_attribute("data-view").split(","))


def contains(view, point):
    west, south, east, north = view
    lat, lng = point
    return south <= lat <= north and west <= lng <= east


def test_a_senegal_search_opens_its_map_on_senegal(page, live_server, atlas):
    page.goto(f"{live_server.url}{atlas.url}recherche/?country=senegal")
    wait_for_map(page)
    atlas_map = page.locator(".atlas-map")
    # Paris and its three partners in Senegal; Ouagadougou is not a result.
    expect(atlas_map).to_have_attribute("data-markers", "4")
    view = view_of(page)
    assert contains(view, DAKAR), view
    assert not contains(view, PARIS), view
    assert_accessible(page)


def test_the_whole_atlas_search_still_shows_the_world(page, live_server, atlas):
    page.goto(f"{live_server.url}{atlas.url}recherche/")
    wait_for_map(page)
    expect(page.locator(".atlas-map")).to_have_attribute("data-markers", "5")
    view = view_of(page)
    assert contains(view, DAKAR), view
    assert contains(view, PARIS), view
