import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, wait_for_map

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_goes_from_home_to_a_country_zoom(page, live_server, demo_site):
    page.goto(live_server.url + "/")
    assert page.locator("section[aria-labelledby=home-features] .fr-card").count() == 3
    assert_accessible(page)
    page.goto(live_server.url + "/rubrique/")
    assert page.locator("h1").inner_text() == "Le rendez-vous du mois"
    page.select_option("#id_kind", "country-zoom")
    page.locator("section[aria-labelledby=archive] button[type=submit]").click()
    page.wait_for_url("**kind=country-zoom**")
    assert page.locator("section[aria-labelledby=archive] .fr-card").count() == 2
    assert_accessible(page)
    page.get_by_role("link", name="Zoom sur le Sénégal").first.click()
    expect(page.locator("h1")).to_have_text("Zoom sur le Sénégal", timeout=60_000)
    wait_for_map(page)
    assert_accessible(page)
