import pytest

from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_follows_the_main_navigation_and_every_page_is_accessible(page, live_server, demo_site):
    page.goto(live_server.url + "/")
    assert page.title().endswith("Coopération décentralisée")
    assert_accessible(page)
    links = page.locator("#fr-navigation a.fr-nav__link")
    names = links.all_inner_texts()
    assert "Atlas de la coopération décentralisée" in names
    for name in names:
        page.goto(live_server.url + "/")
        page.locator("#fr-navigation").get_by_role("link", name=name, exact=True).click()
        page.wait_for_load_state()
        assert page.locator("h1").first.inner_text() == name
        assert_accessible(page)


def test_header_search_box_leads_to_results(page, live_server, demo_site):
    page.goto(live_server.url + "/")
    page.fill("#search-input", "atlas")
    page.press("#search-input", "Enter")
    page.wait_for_url("**/recherche/?q=atlas")
    assert page.get_by_role("link", name="Atlas de la coopération décentralisée").count() >= 1
    assert_accessible(page)
