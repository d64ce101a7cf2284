import pytest

from atlas.models import Country
from tests.atlas.factories import (
    AtlasPageFactory,
    AuthorityFactory,
    CooperationFactory,
    PartnerAuthorityFactory,
    ProjectFactory,
)
from tests.browser.conftest import assert_accessible
from tests.pages.factories import StandardPageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_header_search_shows_every_type_with_facets(page, live_server, home):
    AtlasPageFactory(parent=home, slug="atlas")
    StandardPageFactory(parent=home, title="Ziguinchor, une coopération", slug="ziguinchor")
    partner = PartnerAuthorityFactory(name="Ziguinchor", country=Country.objects.get(code="SN"))
    cooperation = CooperationFactory(authority=AuthorityFactory(name="Amis de Ziguinchor"), partner=partner)
    for n in range(2):
        ProjectFactory(title=f"Maraîchage à Ziguinchor {n}", cooperation=cooperation)

    page.goto(live_server.url + "/")
    page.fill("#search-input", "ziguinchor")
    page.press("#search-input", "Enter")
    page.wait_for_url("**/recherche/?q=ziguinchor")
    results = page.locator(".portal-result")
    assert results.count() == 5
    assert page.locator(".portal-results mark").first.inner_text() == "Ziguinchor"
    facets = page.locator("#search-facets")
    assert "(5)" in facets.locator(".fr-sidemenu__item--active").inner_text()
    assert "(2)" in facets.locator('[data-facet="project"]').inner_text()
    assert_accessible(page)

    facets.locator('[data-facet="project"] a').click()
    page.wait_for_url("**type=project")
    assert page.locator(".portal-result").count() == 2
    assert set(page.locator(".portal-result").evaluate_all("els => els.map(e => e.dataset.type)")) == {
        "project"
    }
    page.locator(".portal-result a").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").first.inner_text().startswith("Maraîchage à Ziguinchor")


def test_search_without_results_is_helpful_and_accessible(page, live_server, home):
    page.goto(live_server.url + "/recherche/?q=zzzzqqqq")
    assert page.get_by_role("status").inner_text()
    assert page.locator(".portal-results").inner_text().startswith("Aucun résultat")
    assert_accessible(page)
