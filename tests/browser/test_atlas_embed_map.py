"""The embeddable map (issue 15) in another site's page: the partner's page, on another origin, frames it, the
map draws its markers inside the frame, and no Content-Security-Policy or X-Frame-Options refusal happens
(the console guard of tests/browser/conftest.py fails the test on any)."""

import functools
import http.server
import re
import threading

import pytest
from playwright.sync_api import expect

from atlas.models import Country
from tests.atlas.factories import AtlasPageFactory, AuthorityFactory, PartnerAuthorityFactory, ProjectFactory
from tests.browser.conftest import MAP_TIMEOUT_MS, assert_accessible, wait_for_map

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def atlas(home):
    atlas = AtlasPageFactory(parent=home, slug="atlas", title="Atlas de la coopération décentralisée")
    rennes = AuthorityFactory(name="Rennes", slug="rennes", latitude=48.11, longitude=-1.68)
    senegal = Country.objects.get(code="SN")
    for name, lat, lng in [("Dakar", 14.69, -17.44), ("Thiès", 14.79, -16.93)]:
        partner = PartnerAuthorityFactory(name=name, country=senegal, latitude=lat, longitude=lng)
        ProjectFactory(cooperation__authority=rennes, cooperation__partner=partner)
    return atlas


@pytest.fixture
def partner_site(tmp_path):
    """Another site: a second local web server, on another origin than the portal's (its own port), serving
    what the test writes in its folder."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_another_site_frames_the_map_and_it_draws_its_markers(page, live_server, atlas, partner_site):
    folder, origin = partner_site
    embed = f"{live_server.url}/donnees/atlas/carte/integrer/?collectivite=rennes"
    # The partner's page: the snippet the authority page offers, pasted as is.
    (folder / "cooperations.html").write_text(
        "<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><link rel='icon' href='data:,'>"
        "<title>Rennes</title></head><body>"
        "<h1>Nos coopérations</h1>"
        f'<iframe src="{embed}" title="Coopérations décentralisées de Rennes" width="100%" height="640"'
        ' loading="lazy"></iframe></body></html>',
        encoding="utf-8",
    )
    page.goto(f"{origin}/cooperations.html")
    frame = page.frame_locator("iframe")
    atlas_map = frame.locator(".atlas-map")
    expect(atlas_map).to_have_attribute("data-ready", "true", timeout=MAP_TIMEOUT_MS)
    expect(atlas_map).to_have_attribute("data-markers", "3")  # Rennes and its two partners
    expect(frame.locator(".atlas-map path.leaflet-interactive")).to_have_count(3)
    expect(frame.get_by_role("heading", name="Coopérations décentralisées de Rennes")).to_be_visible()
    # The way to the Atlas opens a tab (the Atlas's own pages refuse to be framed).
    link = frame.get_by_role("link", name="Voir dans l’Atlas")
    expect(link).to_have_attribute("href", f"{atlas.url}collectivites/rennes/")
    with page.context.expect_page() as new_tab:
        link.click()
    expect(new_tab.value).to_have_url(f"{live_server.url}{atlas.url}collectivites/rennes/")


def test_the_embedded_page_is_accessible(page, live_server, atlas):
    page.goto(f"{live_server.url}/donnees/atlas/carte/integrer/?collectivite=rennes")
    wait_for_map(page)
    assert_accessible(page)


def test_the_authority_page_copies_the_snippet(page, live_server, atlas):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"{live_server.url}{atlas.url}collectivites/rennes/")
    page.get_by_text("Afficher cette carte sur votre site").click()
    field = page.get_by_label("Code à coller dans une page de votre site")
    expect(field).to_have_value(
        re.compile(r'^<iframe src="http://localhost:\d+/donnees/atlas/carte/integrer/')
    )
    page.get_by_role("button", name="Copier").click()
    expect(page.locator('[data-copy-status="embed-snippet"]')).to_have_text("Code copié.")
    assert page.evaluate("navigator.clipboard.readText()") == field.input_value()
