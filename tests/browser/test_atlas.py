from pathlib import Path

import pytest
from playwright.sync_api import expect

from atlas.models import Country, Theme
from tests.atlas.factories import (
    AtlasPageFactory,
    AuthorityFactory,
    CooperationFactory,
    PartnerAuthorityFactory,
    ProjectFactory,
)
from tests.browser.conftest import assert_accessible, wait_for_map

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def atlas_data(home):
    atlas = AtlasPageFactory(parent=home, slug="atlas", title="Atlas de la coopération décentralisée")
    water = Theme.objects.get(slug="eau-et-assainissement")
    rennes = AuthorityFactory(name="Rennes", latitude=48.11, longitude=-1.68)
    AuthorityFactory(name="Rennes Métropole", kind="epci", latitude=48.11, longitude=-1.67)
    senegal, mali = Country.objects.get(code="SN"), Country.objects.get(code="ML")
    for name, country, lat, lng in [("Kaolack", senegal, 14.15, -16.07), ("Sikasso", mali, 11.32, -5.67)]:
        partner = PartnerAuthorityFactory(name=name, country=country, latitude=lat, longitude=lng)
        ProjectFactory(
            cooperation=CooperationFactory(authority=rennes, partner=partner),
            themes=[water],
            title=f"Eau potable à {name}",
        )
    return atlas, rennes


def test_atlas_home_map_draws_markers_and_page_is_accessible(page, live_server, atlas_data):
    atlas, _ = atlas_data
    page.goto(live_server.url + atlas.url)
    wait_for_map(page)
    # Rennes and its two partners; Rennes Métropole has no cooperation yet.
    assert page.locator(".atlas-map").get_attribute("data-markers") == "3"
    # Clustered or not, something is drawn in the marker pane.
    assert (
        page.locator(".atlas-map .leaflet-marker-pane > *, .atlas-map path.leaflet-interactive").count() >= 1
    )
    assert_accessible(page)


def test_authority_page_map_draws_the_partners_and_ties(page, live_server, atlas_data):
    atlas, rennes = atlas_data
    page.goto(f"{live_server.url}{atlas.url}collectivites/{rennes.slug}/")
    wait_for_map(page)
    assert page.locator(".atlas-map path.leaflet-interactive").count() == 3  # Rennes and its two partners
    page.locator(".atlas-map path.leaflet-interactive").first.click(force=True)
    assert page.locator(".leaflet-popup-content a").count() == 1
    # Leaflet fades the popup in: measured mid-fade, its text would fail the contrast check.
    page.wait_for_function("() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
    assert_accessible(page)


def test_authority_selector_with_the_keyboard(page, live_server, atlas_data):
    atlas, rennes = atlas_data
    page.goto(live_server.url + atlas.url)
    page.locator("#authority-q").press_sequentially("renn", delay=30)
    options = page.locator("#authority-q-list [role=option]")
    options.first.wait_for()
    assert options.count() == 2
    page.keyboard.press("ArrowDown")
    assert page.locator("#authority-q").get_attribute("aria-activedescendant") == "authority-q-list-0"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/collectivites/{rennes.slug}/")
    assert page.locator("h1").inner_text() == "Rennes"


def test_authority_selector_without_javascript(browser, live_server, atlas_data):
    atlas, _ = atlas_data
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + atlas.url)
    page.fill("#authority-q", "renn")
    page.locator(".atlas-selector button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Rennes Métropole").count() == 1
    context.close()


def test_search_filters_and_shows_results_on_the_map(page, live_server, atlas_data):
    atlas, _ = atlas_data
    page.goto(f"{live_server.url}{atlas.url}recherche/")
    page.select_option("#id_country", "mali")
    page.locator(".atlas-search-form button[type=submit]").click()
    page.wait_for_url("**country=mali**")
    assert page.get_by_role("link", name="Eau potable à Sikasso").count() == 1
    assert page.get_by_role("link", name="Eau potable à Kaolack").count() == 0
    wait_for_map(page)
    assert page.locator(".atlas-map").get_attribute("data-markers") == "2"
    assert_accessible(page)


def test_project_and_country_pages_are_accessible(page, live_server, atlas_data):
    atlas, rennes = atlas_data
    project = rennes.cooperations.first().projects.first()
    page.goto(f"{live_server.url}{atlas.url}projets/{project.pk}/")
    wait_for_map(page)
    expect(page.locator(".atlas-map[data-ready=true]")).to_have_count(2)
    assert_accessible(page)
    page.get_by_role("link", name=project.cooperation.partner.country.name).first.click()
    wait_for_map(page)
    assert_accessible(page)


@pytest.mark.parametrize(
    ("label", "suffix"), [("PDF", ".pdf"), ("CSV", ".csv"), ("XLSX", ".xlsx"), ("GeoJSON", ".geojson")]
)
def test_each_export_downloads_from_the_search_results(page, live_server, atlas_data, label, suffix):
    atlas, _ = atlas_data
    page.goto(f"{live_server.url}{atlas.url}recherche/?country=mali")
    with page.expect_download() as download_info:
        page.locator(".atlas-exports").get_by_role("link", name=label, exact=True).click()
    download = download_info.value
    assert download.suggested_filename.endswith(suffix)
    content = Path(download.path()).read_bytes()
    if suffix == ".pdf":
        assert content.startswith(b"%PDF")
    elif suffix in (".csv", ".geojson"):
        assert "Sikasso" in content.decode("utf-8-sig")
        assert "Kaolack" not in content.decode("utf-8-sig")
