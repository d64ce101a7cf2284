import json

import pytest

from atlas.models import Country, Project, Theme
from tests.atlas.factories import (
    AidLineFactory,
    AuthorityFactory,
    ContactFactory,
    CooperationFactory,
    PartnerAuthorityFactory,
    ProjectFactory,
)

# A first (cold) visit; the Atlas home's is the highest: its trends add two aggregates (atlas/trends.py), kept
# per Atlas version so that a warm visit reads none (WARM_QUERIES below); the page's translations (its
# language links and hreflang alternates) one more, kept per process with its route.
MAX_QUERIES = 28


@pytest.fixture
def water():
    return Theme.objects.get(slug="eau-et-assainissement")


def make_rows(n, **project_kwargs):
    """n cooperations with a project each, spread over two countries."""
    burkina, senegal = Country.objects.get(code="BF"), Country.objects.get(code="SN")
    projects = []
    for i in range(n):
        partner = PartnerAuthorityFactory(country=burkina if i % 2 else senegal)
        projects.append(ProjectFactory(cooperation=CooperationFactory(partner=partner), **project_kwargs))
    return projects


def test_home_shows_live_key_figures_and_the_map(client, atlas):
    make_rows(3)
    external = CooperationFactory(kind="external_action")
    ProjectFactory(cooperation=external)
    html = client.get(atlas.url).text
    assert 'class="fr-h3 fr-mb-0">4</p><p>Collectivités françaises' in html or ">4</p>" in html
    assert 'data-map="' in html
    assert "collectivites/?format=json" in html  # the selector's suggestions


@pytest.mark.parametrize("n", [2, 30])
def test_pages_query_count_does_not_grow_with_rows(client, atlas, django_assert_max_num_queries, n, water):
    projects = make_rows(n, themes=[water])
    authority = AuthorityFactory(name="Grande Ville")
    for project in projects:
        project.cooperation.authority = authority
        project.cooperation.save()
    for _ in range(n):
        ContactFactory(authority=authority)
        AidLineFactory(declaration__authority=authority, declaration__year=2000 + _)
    partner = projects[0].cooperation.partner
    urls = [
        atlas.url,
        "/donnees/atlas/carte.json",
        f"{atlas.url}collectivites/{authority.slug}/",
        f"{atlas.url}projets/{projects[0].pk}/",
        f"{atlas.url}pays/{partner.country.slug}/",
        f"{atlas.url}partenaires/{partner.pk}/",
        f"{atlas.url}recherche/",
        f"{atlas.url}recherche/?q=eau&theme=eau-et-assainissement&status=ongoing&sort=-year",
        f"{atlas.url}collectivites/?q=Ville",
    ]
    for url in urls:
        with django_assert_max_num_queries(MAX_QUERIES):
            response = client.get(url)
        assert response.status_code == 200, url


def test_authority_page_shows_contacts_aid_chart_cooperations_by_country(client, atlas):
    authority = AuthorityFactory(name="Rennes")
    ContactFactory(authority=authority, first_name="Anne", last_name="Le Goff", title="Adjointe")
    # Filed declarations (the e-APD panel, atlas/aid/public.py, shows only those).
    AidLineFactory(
        declaration__authority=authority, declaration__year=2023, declaration__status="filed", amount=12000
    )
    AidLineFactory(
        declaration__authority=authority, declaration__year=2024, declaration__status="filed", amount=24000
    )
    senegal = Country.objects.get(code="SN")
    project = ProjectFactory(
        cooperation=CooperationFactory(
            authority=authority,
            partner=PartnerAuthorityFactory(name="Kaolack", country=senegal),
            is_twinning=True,
        ),
        title="Assainissement de Kaolack",
    )
    ProjectFactory(
        cooperation=CooperationFactory(authority=authority, kind="external_action"), title="Festival partagé"
    )
    html = client.get(f"{atlas.url}collectivites/{authority.slug}/").text
    assert "Anne Le Goff" in html
    assert "24\u202f000 €" in html
    assert 'class="atlas-bars__bar" width="40%"' in html  # 2023 is half of 2024 (the longest bar is 80 %)
    assert "Sénégal" in html
    assert "Kaolack" in html
    assert project.title in html
    assert "jumelage" in html
    assert "Festival partagé" in html
    config = json.loads(html.split('data-map="')[1].split('"')[0].replace("&quot;", '"'))
    assert len(config["points"]["ties"]) == 2


def test_project_sheet_shows_every_field_two_maps_and_mutualisation(client, atlas, water):
    partner = PartnerAuthorityFactory(name="Bobo-Dioulasso")
    project = ProjectFactory(
        cooperation=CooperationFactory(partner=partner),
        themes=[water],
        budget=150000,
        funding_framework="oudin_santini",
        status="finished",
        start_year=2015,
        end_year=2019,
        description="Forages et latrines.",
    )
    neighbour = ProjectFactory(cooperation=CooperationFactory(partner=partner), themes=[water])
    elsewhere = ProjectFactory(
        cooperation=CooperationFactory(partner=PartnerAuthorityFactory()), themes=[water]
    )
    html = client.get(f"{atlas.url}projets/{project.pk}/").text
    assert "Forages et latrines." in html
    assert "150\u202f000 €" in html
    assert "Oudin-Santini" in html
    assert "2015–2019" in html
    assert html.count('class="portal-map atlas-map') == 2
    assert neighbour.cooperation.authority.name in html
    assert elsewhere.cooperation.authority.name in html  # same country (Burkina Faso), same theme


def test_country_and_partner_pages(client, atlas, water):
    project = ProjectFactory(themes=[water])
    partner = project.cooperation.partner
    html = client.get(f"{atlas.url}pays/{partner.country.slug}/").text
    assert project.cooperation.authority.name in html
    assert "Eau et assainissement" in html
    html = client.get(f"{atlas.url}partenaires/{partner.pk}/").text
    assert project.title in html
    assert partner.country.name in html


def test_unknown_records_give_404(client, atlas):
    for path in ["collectivites/nulle-part/", "projets/999999/", "pays/atlantide/", "partenaires/999999/"]:
        assert client.get(f"{atlas.url}{path}").status_code == 404


def test_search_filters_sorts_and_paginates(client, atlas, water):
    wanted = make_rows(3, themes=[water])
    make_rows(2)  # no theme
    response = client.get(f"{atlas.url}recherche/", {"theme": "eau-et-assainissement"})
    assert "3 projets" in response.text
    for project in wanted:
        assert project.title in response.text
    # Countries: make_rows puts odd rows in Burkina Faso
    response = client.get(f"{atlas.url}recherche/", {"country": "burkina-faso"})
    assert "2 projets" in response.text


@pytest.mark.parametrize(
    "query", ["year_from=abc", "status=bogus", "country=atlantide", "year_from=2020&year_to=2010"]
)
def test_search_bad_values_give_a_form_error_not_a_server_error(client, atlas, query):
    make_rows(1)
    response = client.get(f"{atlas.url}recherche/?{query}")
    assert response.status_code == 200
    assert "ne sont pas valides" in response.text
    assert "0 projet" in response.text


def test_map_data_is_gzipped_and_filterable(client, atlas, water):
    make_rows(3, themes=[water])
    make_rows(2)
    response = client.get("/donnees/atlas/carte.json", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    everything = json.loads(client.get("/donnees/atlas/carte.json").content)
    assert len(everything["ties"]) == 5
    filtered = json.loads(client.get("/donnees/atlas/carte.json?theme=eau-et-assainissement").content)
    assert len(filtered["ties"]) == 3
    assert client.get("/donnees/atlas/carte.json?status=bogus").status_code == 400


def test_map_data_follows_changes(client, atlas):
    make_rows(1)
    before = json.loads(client.get("/donnees/atlas/carte.json").content)
    make_rows(1)
    after = json.loads(client.get("/donnees/atlas/carte.json").content)
    assert len(after["ties"]) == len(before["ties"]) + 1


def test_authority_selector_without_javascript(client, atlas):
    lyon = AuthorityFactory(name="Lyon")
    AuthorityFactory(name="Lyons-la-Forêt")
    response = client.get(f"{atlas.url}collectivites/", {"q": "lyon"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/collectivites/{lyon.slug}/")
    html = client.get(f"{atlas.url}collectivites/", {"q": "lyo"}).text
    assert "Lyons-la-Forêt" in html
    assert "2 collectivités" in html
    suggestions = client.get(f"{atlas.url}collectivites/", {"q": "lyo", "format": "json"}).json()["results"]
    assert [s["name"] for s in suggestions] == ["Lyon", "Lyons-la-Forêt"]


def test_project_validation_messages(db):
    from django.core.exceptions import ValidationError

    project = Project(status="finished", start_year=2010, title="x", summary="y")
    with pytest.raises(ValidationError) as error:
        project.clean()
    assert "end_year" in error.value.message_dict


def test_authority_page_shows_a_new_contact_at_once_despite_the_cache(client, atlas):
    authority = AuthorityFactory(name="Nantes")
    url = f"{atlas.url}collectivites/{authority.slug}/"
    assert "Sophie Durand" not in client.get(url).text
    ContactFactory(authority=authority, first_name="Sophie", last_name="Durand")
    assert "Sophie Durand" in client.get(url).text


# Served again, the page's frame (site, route, settings, menu: portal/core/route_cache.py) and the Atlas's
# figures and details (atlas/queries.py) come from this process's copies: what is left is the version read
# and each page's own rows.
WARM_QUERIES = {
    "home": 1,
    "authority": 4,
    "project": 5,
    "country": 2,
    "partner": 2,
    "search": 6,
    "search with filters": 10,  # 9 on SQLite
}


def test_an_atlas_page_served_again_costs_only_its_own_rows(
    client, atlas, water, django_assert_max_num_queries
):
    projects = make_rows(4, themes=[water])
    partner = projects[0].cooperation.partner
    urls = {
        "home": atlas.url,
        "authority": f"{atlas.url}collectivites/{projects[0].cooperation.authority.slug}/",
        "project": f"{atlas.url}projets/{projects[0].pk}/",
        "country": f"{atlas.url}pays/{partner.country.slug}/",
        "partner": f"{atlas.url}partenaires/{partner.pk}/",
        "search": f"{atlas.url}recherche/",
        "search with filters": f"{atlas.url}recherche/?q=eau&theme=eau-et-assainissement&status=ongoing",
    }
    for name, url in urls.items():
        # A hard reload, as the bench's uncached rows: the anonymous page cache neither answers nor keeps it.
        # Twice: the first visit creates the site settings, a change that the second visit reads afresh.
        for _ in range(2):
            assert client.get(url, headers={"cache-control": "no-cache"}).status_code == 200, name
        with django_assert_max_num_queries(WARM_QUERIES[name], info=name):
            assert client.get(url, headers={"cache-control": "no-cache"}).status_code == 200, name
