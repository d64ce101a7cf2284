"""The embeddable map (issue 15): other sites may frame it, and only it; each of its three forms shows its own
cooperations; an unknown or malformed address is a French 404 or 400 the frame can show; the snippet is
offered on the authority's page and documented on the open-data page."""

import json
import re
from html import unescape

import pytest

from atlas.models import Country, PartnerAuthority
from tests.atlas.factories import (
    AuthorityFactory,
    NetworkFactory,
    PartnerAuthorityFactory,
    ProjectFactory,
)

EMBED = "/donnees/atlas/carte/integrer/"


@pytest.fixture
def world(db):
    """Rennes (Bretagne, in a network) with partners in Senegal; Lyon (Auvergne-Rhône-Alpes), one in Mali."""
    network = NetworkFactory(name="Cités Unies France", acronym="CUF")
    rennes = AuthorityFactory(
        name="Rennes", slug="rennes", region="53", departement="35", latitude=48.11, longitude=-1.68
    )
    rennes.networks.add(network)
    lyon = AuthorityFactory(name="Lyon", slug="lyon", region="84", departement="69")
    senegal, mali = Country.objects.get(code="SN"), Country.objects.get(code="ML")
    for name, lat, lng in [("Dakar", 14.69, -17.44), ("Thiès", 14.79, -16.93)]:
        partner = PartnerAuthorityFactory(name=name, country=senegal, latitude=lat, longitude=lng)
        ProjectFactory(cooperation__authority=rennes, cooperation__partner=partner)
    bamako = PartnerAuthorityFactory(name="Bamako", country=mali, latitude=12.64, longitude=-8.0)
    ProjectFactory(cooperation__authority=lyon, cooperation__partner=bamako)
    return {"network": network, "rennes": rennes, "lyon": lyon}


def map_config(response):
    match = re.search(r'data-map="([^"]*)"', response.content.decode())
    return json.loads(unescape(match.group(1)))


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_the_embed_may_be_framed_by_any_site_and_other_pages_still_refuse(client, atlas, world):
    response = client.get(EMBED, {"collectivite": "rennes"})
    assert response.status_code == 200
    assert directives(response)["frame-ancestors"][-1] == "*"
    assert "X-Frame-Options" not in response
    # Its errors too: the partner's frame shows the message rather than the browser's refusal.
    missing = client.get(EMBED, {"collectivite": "nowhere"})
    assert directives(missing)["frame-ancestors"][-1] == "*"
    assert "X-Frame-Options" not in missing
    for url in (
        "/donnees/",
        f"{atlas.url}collectivites/rennes/",
        f"{atlas.url}recherche/",
        "/donnees/atlas/carte.json",
    ):
        other = client.get(url)
        assert other["X-Frame-Options"] == "DENY", url
        assert directives(other)["frame-ancestors"] == ["'self'"], url
    # The rest of the strict policy stays: no inline script or style in the embed either.
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    html = response.content.decode()
    assert "<style" not in html
    assert " style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def test_an_authority_embed_shows_its_own_cooperations(client, atlas, world):
    response = client.get(EMBED, {"collectivite": "rennes"})
    html = response.content.decode()
    assert "Coopérations décentralisées de Rennes" in html
    assert "Dakar" in html
    assert "Thiès" in html
    assert "Bamako" not in html
    config = map_config(response)
    assert sorted(row[3] for row in config["points"]["partners"]) == ["Dakar", "Thiès"]
    assert [row[3] for row in config["points"]["authorities"]] == ["Rennes"]
    assert config["bounds"] == [[14.69, -17.44], [48.11, -1.68]]
    # The way to the Atlas, in a new tab (the Atlas's pages refuse frames).
    assert f'href="{atlas.url}collectivites/rennes/"' in html
    assert '<base target="_blank">' in html


def test_a_region_embed_shows_its_authorities_cooperations(client, atlas, world):
    response = client.get(EMBED, {"region": "84"})
    html = response.content.decode()
    assert "Auvergne-Rhône-Alpes" in html
    assert "Bamako" in html
    assert "Dakar" not in html
    config = map_config(response)
    assert config["data"] == "/donnees/atlas/carte.json?region=84"
    assert config["bounds"] == [[12.64, -8.0], [45.76, 4.83]]
    assert f'href="{atlas.url}recherche/?region=84"' in html
    # The map data it fetches holds the région's places only.
    data = json.loads(client.get(config["data"]).content)
    assert [row[3] for row in data["partners"]] == ["Bamako"]


def test_a_network_embed_shows_its_members_cooperations(client, atlas, world):
    network = world["network"]
    response = client.get(EMBED, {"reseau": str(network.pk)})
    html = response.content.decode()
    assert "Cités Unies France (CUF)" in html
    assert "Dakar" in html
    assert "Bamako" not in html
    config = map_config(response)
    data = json.loads(client.get(config["data"]).content)
    assert sorted(row[3] for row in data["partners"]) == ["Dakar", "Thiès"]
    # "See in the Atlas" is the search of the network's members' projects.
    search = client.get(f"{atlas.url}recherche/", {"network": network.pk}).content.decode()
    assert "2 projets" in search


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"collectivite": "nowhere"}, 404, "Aucune collectivité"),
        ({"region": "99"}, 404, "Aucune région"),
        ({"reseau": "999999"}, 404, "Aucun réseau"),
        ({}, 400, "collectivite, region ou reseau"),
        ({"collectivite": "rennes", "region": "53"}, 400, "collectivite, region ou reseau"),
        ({"reseau": "CUF"}, 400, "n’est pas valide"),
        ({"reseau": "99999999999999999999"}, 400, "n’est pas valide"),
        ({"collectivite": "ren nes"}, 400, "n’est pas valide"),
        ({"region": ["53", "84"]}, 400, "n’est pas valide"),
        ({"collectivite": "rennes", "couleur": "rouge"}, 400, "couleur"),
    ],
)
def test_unknown_or_malformed_addresses_are_french_errors(client, atlas, world, params, status, message):
    response = client.get(EMBED, params)
    assert response.status_code == status
    assert message in unescape(response.content.decode())


def test_the_embed_is_kept_in_the_page_cache_until_the_atlas_changes(client, atlas, world):
    client.get("/donnees/")  # the site's first answer creates its settings: a change of the site's family
    first = client.get(EMBED, {"collectivite": "rennes"})
    assert first["X-Page-Cache"] == "miss"
    again = client.get(EMBED, {"collectivite": "rennes"})
    assert again["X-Page-Cache"] == "hit"
    # A hit is still framable.
    assert directives(again)["frame-ancestors"][-1] == "*"
    assert "X-Frame-Options" not in again
    dakar = PartnerAuthority.objects.get(name="Dakar")
    dakar.name = "Dakar-Plateau"
    dakar.save()  # an edit, as the admin makes it
    fresh = client.get(EMBED, {"collectivite": "rennes"})
    assert fresh["X-Page-Cache"] == "miss"
    assert "Dakar-Plateau" in fresh.content.decode()


def test_the_authority_page_offers_the_snippet_to_copy(client, atlas, world):
    html = client.get(f"{atlas.url}collectivites/rennes/").content.decode()
    details = html[html.index('<details class="fr-mb-3w atlas-embed">') :]
    textarea = re.search(r"<textarea[^>]*readonly[^>]*>([^<]*)</textarea>", details).group(1)
    snippet = unescape(textarea)
    assert snippet.startswith(
        '<iframe src="http://testserver/donnees/atlas/carte/integrer/?collectivite=rennes"'
    )
    assert 'title="Coopérations décentralisées de Rennes"' in snippet
    assert 'loading="lazy"' in snippet
    assert 'height="640"' in snippet
    # The copy button is revealed by the script; without it the field is copied by hand.
    assert re.search(r'<button[^>]*data-copy="embed-snippet"[^>]*hidden>Copier</button>', details)


def test_the_open_data_page_documents_the_three_forms(client, atlas, world):
    html = unescape(client.get("/donnees/").content.decode())
    section = html[html.index('id="integrer"') : html.index('id="schema"')]
    for form in ("?collectivite=", "?region=", "?reseau="):
        assert f"/donnees/atlas/carte/integrer/{form}" in section
    assert '<iframe src="http://testserver/donnees/atlas/carte/integrer/?region=11"' in section
    assert f"<code>{world['network'].pk}</code> Cités Unies France (CUF)" in section
    assert "<code>53</code> Bretagne" in section
