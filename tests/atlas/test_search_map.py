"""The Atlas search's map shows the search's results and opens on them (issue 15): the map data of a search
is filtered by the list's own FilterSet, and the page hands the map the bounds of its results."""

import json
import re
from html import unescape

import pytest

from atlas.models import Country, Project
from tests.atlas.factories import (
    AuthorityFactory,
    NetworkFactory,
    PartnerAuthorityFactory,
    ProjectFactory,
)

MAP = "/donnees/atlas/carte.json"
DAKAR = (14.69, -17.44)
THIES = (14.79, -16.93)
ZIGUINCHOR = (12.56, -16.27)
PARIS = (48.86, 2.35)
RENNES = (48.11, -1.68)


@pytest.fixture
def world(db):
    """Projects in Senegal (of a Parisian and a Breton authority), in Burkina Faso and in Mali."""
    senegal = Country.objects.get(code="SN")
    paris = AuthorityFactory(
        name="Paris", region="11", departement="75", latitude=PARIS[0], longitude=PARIS[1]
    )
    rennes = AuthorityFactory(
        name="Rennes", region="53", departement="35", latitude=RENNES[0], longitude=RENNES[1]
    )
    dakar = PartnerAuthorityFactory(name="Dakar", country=senegal, latitude=DAKAR[0], longitude=DAKAR[1])
    thies = PartnerAuthorityFactory(name="Thiès", country=senegal, latitude=THIES[0], longitude=THIES[1])
    ziguinchor = PartnerAuthorityFactory(
        name="Ziguinchor", country=senegal, latitude=ZIGUINCHOR[0], longitude=ZIGUINCHOR[1]
    )
    ouaga = PartnerAuthorityFactory(name="Ouagadougou")  # Burkina Faso
    bamako = PartnerAuthorityFactory(
        name="Bamako", country=Country.objects.get(code="ML"), latitude=12.64, longitude=-8.0
    )
    return {
        "senegal": [
            ProjectFactory(cooperation__authority=paris, cooperation__partner=dakar),
            ProjectFactory(cooperation__authority=rennes, cooperation__partner=thies),
            ProjectFactory(cooperation__authority=rennes, cooperation__partner=ziguinchor),
        ],
        "burkina": ProjectFactory(cooperation__authority=paris, cooperation__partner=ouaga),
        "mali": ProjectFactory(cooperation__partner=bamako),  # a Lyon authority (the factory's)
    }


def get_json(client, params):
    response = client.get(MAP, params)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def map_config(response):
    """The map configuration the search page hands its map (a data attribute)."""
    match = re.search(r'data-map="([^"]*)"', response.content.decode())
    return json.loads(unescape(match.group(1)))


def test_a_searchs_map_data_holds_only_its_results_places(client, world):
    answer = get_json(client, {"country": "senegal"})
    assert sorted(row[3] for row in answer["partners"]) == ["Dakar", "Thiès", "Ziguinchor"]
    assert sorted(row[3] for row in answer["authorities"]) == ["Paris", "Rennes"]
    assert len(answer["ties"]) == 3
    # The same filters as the list: a région and a country together, a keyword.
    answer = get_json(client, {"country": "senegal", "region": "53"})
    assert sorted(row[3] for row in answer["partners"]) == ["Thiès", "Ziguinchor"]
    assert [row[3] for row in answer["authorities"]] == ["Rennes"]
    answer = get_json(client, {"q": "Ouagadougou"})
    assert [row[3] for row in answer["partners"]] == ["Ouagadougou"]


def test_the_page_and_order_of_the_list_do_not_change_the_map(client, world):
    everything = get_json(client, {"country": "senegal"})
    assert get_json(client, {"country": "senegal", "page": "2", "sort": "-title", "region": ""}) == everything


def test_a_searchs_map_data_follows_an_edit(client, world):
    assert len(get_json(client, {"country": "senegal"})["partners"]) == 3
    project = world["burkina"]
    project.cooperation.partner.country = Country.objects.get(code="SN")
    project.cooperation.partner.save()
    # Cached per Atlas version: the edit bumps it, and the next answer has the partner.
    assert len(get_json(client, {"country": "senegal"})["partners"]) == 4


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"country": "atlantide"}, "country"),
        ({"year_from": "deux mille"}, "year_from"),
        ({"year_from": "2020", "year_to": "2010"}, "year_to"),
        ({"status": "flying"}, "status"),
        ({"theme": "nowhere"}, "theme"),
        ({"region": "99"}, "region"),
        ({"network": "not-a-number"}, "network"),
    ],
)
def test_bad_filters_are_a_french_400(client, world, params, field):
    response = client.get(MAP, params)
    assert response.status_code == 400
    errors = json.loads(response.content)["errors"]
    message = " ".join(errors[field])
    assert re.search(r"[Ss]aisissez|[Ss]électionnez|période|choix", message), message


def test_the_search_page_opens_its_map_on_a_countrys_results(client, atlas, world):
    config = map_config(client.get(f"{atlas.url}recherche/", {"country": "senegal"}))
    (south, west), (north, east) = config["bounds"]
    # Senegal's partners only: Dakar inside, Paris (the Parisian authority's) outside.
    assert (south, west) == (ZIGUINCHOR[0], DAKAR[1])
    assert (north, east) == (THIES[0], ZIGUINCHOR[1])
    assert config["data"].endswith("?country=senegal")


def test_a_french_search_opens_on_its_authorities_and_a_mixed_one_on_both(client, atlas, world):
    brittany = map_config(client.get(f"{atlas.url}recherche/", {"region": "53"}))
    assert brittany["bounds"] == [list(RENNES), list(RENNES)]
    both = map_config(client.get(f"{atlas.url}recherche/", {"region": "53", "country": "senegal"}))
    assert both["bounds"] == [[ZIGUINCHOR[0], THIES[1]], [RENNES[0], RENNES[1]]]
    # A keyword narrows neither side: every place of its results.
    keyword = map_config(client.get(f"{atlas.url}recherche/", {"q": "Ouagadougou"}))
    assert keyword["bounds"] == [[12.37, -1.52], [PARIS[0], PARIS[1]]]


def test_the_whole_atlas_and_an_empty_result_open_on_the_world(client, atlas, world):
    assert map_config(client.get(f"{atlas.url}recherche/"))["bounds"] is None
    nothing = map_config(client.get(f"{atlas.url}recherche/", {"country": "senegal", "status": "finished"}))
    assert nothing["bounds"] is None
    assert nothing["view"] == "world"


def test_the_bounds_follow_an_edit(client, atlas, world):
    url = f"{atlas.url}recherche/"
    assert map_config(client.get(url, {"country": "senegal"}))["bounds"][0][0] == ZIGUINCHOR[0]
    Project.objects.filter(cooperation__partner__name="Ziguinchor").delete()
    headers = {"cache-control": "no-cache"}
    assert map_config(client.get(url, {"country": "senegal"}, headers=headers))["bounds"][0][0] == DAKAR[0]


def test_a_networks_search_keeps_its_network_when_refined(client, atlas, world):
    network = NetworkFactory(name="Cités Unies France")
    world["senegal"][1].cooperation.authority.networks.add(network)  # Rennes
    html = client.get(f"{atlas.url}recherche/", {"network": network.pk}).content.decode()
    assert "2 projets" in html  # Rennes's two, in Thiès and Ziguinchor
    # The search form carries the network (a hidden field): refining the search keeps it.
    assert f'<input type="hidden" name="network" value="{network.pk}"' in html
    assert "Cités Unies France" in html  # among the active filters
