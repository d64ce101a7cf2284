import pytest

from atlas.models import Country
from tests.atlas.factories import BoursePageFactory, BourseProjectFactory, PartnerAuthorityFactory
from tests.browser.conftest import assert_accessible, wait_for_map

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bourse(home):
    page = BoursePageFactory(parent=home, slug="bourse-projets", title="Bourse-projets")
    senegal, morocco = Country.objects.get(code="SN"), Country.objects.get(code="MA")
    kaolack = PartnerAuthorityFactory(name="Kaolack", country=senegal, latitude=14.15, longitude=-16.07)
    fes = PartnerAuthorityFactory(name="Fès", country=morocco, latitude=34.03, longitude=-5.0)
    project = BourseProjectFactory(
        partner=kaolack,
        title="Marché de Kaolack",
        original_language="English",
        original_title="Kaolack market",
        original_summary="Rehabilitating the central market.",
        budget=50000,
    )
    BourseProjectFactory(partner=fes, title="Médina de Fès")
    BourseProjectFactory(partner=fes, title="Brouillon", live=False)
    return page, project


def test_a_visitor_finds_a_project_on_the_map_and_opens_it(page, live_server, bourse):
    bourse_page, project = bourse
    page.goto(live_server.url + bourse_page.url)
    wait_for_map(page)
    assert page.locator(".atlas-map").get_attribute("data-markers") == "2"
    assert_accessible(page)
    page.get_by_role("link", name="Marché de Kaolack").click()
    page.wait_for_url(f"**/projets/{project.pk}/")
    assert page.locator("h1").inner_text() == "Marché de Kaolack"
    wait_for_map(page)
    assert page.locator(".atlas-map").get_attribute("data-markers") == "1"
    assert page.locator(".bourse-original[lang=en]").count() == 1
    assert_accessible(page)


def test_the_map_popup_leads_to_the_project(page, live_server, bourse):
    bourse_page, project = bourse
    page.goto(f"{live_server.url}{bourse_page.url}?country=senegal")
    wait_for_map(page)
    assert page.locator(".atlas-map").get_attribute("data-markers") == "1"
    page.locator(".atlas-map path.leaflet-interactive, .atlas-map .leaflet-marker-icon").first.click(
        force=True
    )
    page.locator(".leaflet-popup-content a").click()
    page.wait_for_url(f"**/projets/{project.pk}/")
