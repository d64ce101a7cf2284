"""The country index in a browser: accessible, its measure switched with and without JavaScript, its
countries reached with the keyboard. The console guard (conftest.py) fails a test on any CSP violation or
script error."""

import re

import pytest
from playwright.sync_api import expect

from atlas.models import Country, Theme
from tests.atlas.factories import (
    AtlasPageFactory,
    CooperationFactory,
    PartnerAuthorityFactory,
    ProjectFactory,
)
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def index_url(home, live_server):
    atlas = AtlasPageFactory(parent=home, slug="atlas", title="Atlas de la coopération décentralisée")
    water = Theme.objects.get(slug="eau-et-assainissement")
    senegal, benin, cabo_verde = (Country.objects.get(code=code) for code in ("SN", "BJ", "CV"))
    twinning = CooperationFactory(partner=PartnerAuthorityFactory(country=senegal), is_twinning=True)
    ProjectFactory(cooperation=twinning, themes=[water])
    ProjectFactory(cooperation=twinning)
    ProjectFactory(cooperation=CooperationFactory(partner=PartnerAuthorityFactory(country=benin)))
    ProjectFactory(cooperation=CooperationFactory(partner=PartnerAuthorityFactory(country=cabo_verde)))
    return f"{live_server.url}{atlas.url}pays/"


MAP_TITLE = "#choropleth-title"


def test_the_index_is_accessible_with_every_measure(page, index_url):
    page.goto(index_url)
    expect(page.locator(MAP_TITLE)).to_have_text("Projets par pays partenaire")
    assert_accessible(page)
    page.goto(f"{index_url}?mesure=theme&theme=eau-et-assainissement&tri=-theme")
    expect(page.locator(MAP_TITLE)).to_have_text("Projets en Eau et assainissement par pays partenaire")
    assert_accessible(page)


def test_switching_the_measure_without_javascript(browser, index_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(index_url)
    page.select_option("#id_mesure", "jumelages")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url(re.compile(r"mesure=jumelages"))
    expect(page.locator(MAP_TITLE)).to_have_text("Jumelages par pays partenaire")
    expect(
        page.locator('a.choropleth__area[aria-label="Sénégal : 1 jumelage, classe 1 sur 1"]')
    ).to_have_count(1)
    # The table's sort links work as plain links.
    page.get_by_role("link", name=re.compile(r"^Projets")).click()
    page.wait_for_url(re.compile(r"tri=-projets"))
    expect(page.locator("#country-table tbody th").first).to_have_text("Sénégal")
    context.close()


def test_switching_the_measure_with_javascript_redraws_in_place(page, index_url):
    page.goto(index_url)
    page.wait_for_load_state("networkidle")
    page.evaluate("window.stayedOnThePage = true")
    page.select_option("#id_mesure", "collectivites")
    expect(page.locator(MAP_TITLE)).to_have_text("Collectivités françaises par pays partenaire")
    expect(page).to_have_url(re.compile(r"mesure=collectivites"))
    assert page.evaluate("window.stayedOnThePage") is True  # redrawn, not reloaded
    # Choosing a theme shows its projects.
    page.select_option("#id_theme", "eau-et-assainissement")
    expect(page.locator(MAP_TITLE)).to_have_text("Projets en Eau et assainissement par pays partenaire")
    expect(page.locator("#id_mesure")).to_have_value("theme")
    expect(page.locator("[data-country-index-status]")).to_have_text(
        "Projets en Eau et assainissement par pays partenaire"
    )
    # A sort link too, the focus kept on it.
    page.locator("#country-table thead a", has_text="Collectivités partenaires").click()
    expect(page).to_have_url(re.compile(r"tri=-partenaires"))
    expect(page.locator("#country-table thead th[aria-sort=descending]")).to_contain_text(
        "Collectivités partenaires"
    )
    expect(page.locator("#country-table thead th[aria-sort=descending] a")).to_be_focused()
    assert page.evaluate("window.stayedOnThePage") is True
    assert_accessible(page)


def test_keyboard_focus_on_a_country_shows_its_label(page, index_url):
    page.goto(index_url)
    page.get_by_role("button", name="Afficher").focus()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Passer la carte : aller au tableau")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Tab")
    benin = page.locator('a.choropleth__area[aria-label="Bénin : 1 projet, classe 1 sur 2"]')
    expect(benin).to_be_focused()
    expect(benin.locator(".choropleth__label")).to_be_visible()
    expect(benin.locator(".choropleth__label")).to_have_text("Bénin : 1 projet, classe 1 sur 2")
    expect(page.locator(".choropleth__prompt")).to_be_hidden()
    # Cabo Verde, too small for the world's outlines, is a disc of its own, next in alphabetical order.
    page.keyboard.press("Tab")
    expect(
        page.locator('a.choropleth__area[aria-label="Cap-Vert : 1 projet, classe 1 sur 2"]')
    ).to_be_focused()
    page.keyboard.press("Tab")
    senegal = page.locator('a.choropleth__area[aria-label="Sénégal : 2 projets, classe 2 sur 2"]')
    expect(senegal).to_be_focused()
    expect(senegal.locator(".choropleth__label")).to_be_visible()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/atlas/pays/senegal/$"))
