import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from drf_spectacular.validation import validate_schema

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from atlas.exports.schema import COLUMN_NAMES
from atlas.filters import ProjectFilterSet
from atlas.models import Country, Project, Theme
from tests.atlas.factories import (
    AtlasPageFactory,
    AuthorityFactory,
    CooperationFactory,
    PartnerAuthorityFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

API = "/donnees/api/projets/"


@pytest.fixture
def projects():
    senegal = PartnerAuthorityFactory(country=Country.objects.get(code="SN"))
    burkina = [ProjectFactory(title=f"Projet burkinabè {n}", start_year=2010 + n) for n in range(5)]
    return burkina, ProjectFactory(title="Projet sénégalais", cooperation__partner=senegal, start_year=2000)


def test_urls():
    assert reverse("atlas_data:api_projects") == API
    assert reverse("atlas_data:api_project", args=[3]) == f"{API}3/"


def test_list_is_paginated(client, projects):
    data = client.get(API, {"page_size": 2}).json()
    assert data["count"] == 6
    assert len(data["results"]) == 2
    assert data["previous"] is None
    assert data["next"] == "http://testserver/donnees/api/projets/?page_size=2&page=2"
    assert list(data["results"][0]) == COLUMN_NAMES
    last = client.get(API, {"page_size": 2, "page": 3}).json()
    assert [project["title"] for project in last["results"]] == ["Projet burkinabè 0", "Projet sénégalais"]
    assert last["next"] is None
    assert last["previous"] == "http://testserver/donnees/api/projets/?page_size=2&page=2"


def test_list_uses_the_search_filters(client, projects):
    data = client.get(API, {"country": "senegal"}).json()
    assert data["count"] == 1
    assert data["results"][0]["title"] == "Projet sénégalais"
    assert data["results"][0]["country_code"] == "SN"
    assert client.get(API, {"year_to": 2011}).json()["count"] == 3


def test_page_size_is_capped_and_defaults_to_50(client):
    cooperation = CooperationFactory()
    for n in range(210):
        ProjectFactory(cooperation=cooperation, title=f"P{n:03}")
    assert len(client.get(API).json()["results"]) == 50
    data = client.get(API, {"page_size": 1000}).json()
    assert len(data["results"]) == 200
    assert data["next"].endswith("page=2")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"country": "atlantide"}, "country"),
        ({"status": "lost"}, "status"),
        ({"year_from": "soon"}, "year_from"),
        ({"page": "two"}, "page"),
        ({"page": 0}, "page"),
        ({"page_size": "-3"}, "page_size"),
    ],
)
def test_invalid_parameters_give_400_with_the_errors(client, query, field):
    response = client.get(API, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    errors = response.json()["errors"]
    assert list(errors) == [field]
    assert all(isinstance(message, str) and message for message in errors[field])


def test_page_beyond_the_last_gives_404(client, projects):
    assert client.get(API, {"page": 2}).status_code == 404
    assert client.get(API, {"page": 1}).status_code == 200


def test_empty_result_is_one_empty_page(client):
    assert client.get(API).json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_constant_number_of_queries_whatever_the_page_size(client, django_assert_max_num_queries):
    cooperation = CooperationFactory()
    for n in range(40):
        ProjectFactory(cooperation=cooperation, title=f"P{n:03}")
    counts = []
    for size in (1, 10, 40):
        with CaptureQueriesContext(connection) as queries:
            assert len(client.get(API, {"page_size": size, "status": "ongoing"}).json()["results"]) == size
        counts.append(len(queries))
    assert len(set(counts)) == 1
    with django_assert_max_num_queries(4):
        client.get(API, {"page_size": 40})


def test_one_project(client, home, projects):
    AtlasPageFactory(parent=home, slug="atlas")  # the "url" column is the address of its project sheet
    project = projects[1]
    response = client.get(reverse("atlas_data:api_project", args=[project.pk]))
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert list(data) == COLUMN_NAMES
    assert data["id"] == project.pk
    assert data["title"] == "Projet sénégalais"
    assert data["url"] == f"http://testserver/atlas/projets/{project.pk}/"


@pytest.mark.parametrize("pk", [999999, 2**40])
def test_missing_project_gives_404_json(client, pk):
    response = client.get(f"{API}{pk}/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_invalid_parameters_are_explained_in_french(client):
    response = client.get(API, {"page": "two"})
    assert response.json() == {"errors": {"page": ["Saisissez un nombre entier supérieur à zéro."]}}
    response = client.get(API, {"year_from": 2020, "year_to": 2010})
    assert response.status_code == 400
    assert response.json() == {"errors": {"year_to": ["La fin de la période précède son début."]}}
    response = client.get(API, {"theme": "nulle-part", "sort": "bogus"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"theme", "sort"}
    assert "Sélectionnez un choix valide" in response.json()["errors"]["theme"][0]
    response = client.get(f"{API}999999/")
    assert response.json() == {"detail": "Aucun projet ne porte cet identifiant."}


@pytest.mark.parametrize(
    "query",
    [
        {"page_size": "9" * 5000},
        {"page": "99999999999999999999"},
        {"year_from": "1e400"},
        {"twinning": "maybe"},
        {"status": ["ongoing", "lost"]},
        {"country": "x" * 1000},
    ],
)
def test_odd_values_never_give_a_server_error(client, projects, query):
    response = client.get(API, query)
    assert response.status_code in (200, 400, 404)
    assert response["Content-Type"] == "application/json"


def test_json_whatever_the_client_asks(client, projects):
    """As before the API used REST framework: no 406 for an Accept header, no 404 for a `format` parameter."""
    for kwargs in ({"HTTP_ACCEPT": "text/html"}, {"data": {"format": "csv"}}, {"HTTP_ACCEPT": "text/csv"}):
        response = client.get(API, **kwargs)
        assert response.status_code == 200
        assert response.json()["count"] == 6


def test_read_only_and_no_credentials_read(client, projects, django_user_model):
    assert client.post(API, {}).status_code == 405
    assert client.delete(f"{API}{projects[1].pk}/").status_code == 405
    # A wrong password is not an error: the API reads no credentials (and locks nobody out).
    response = client.get(API, HTTP_AUTHORIZATION="Basic bm9ib2R5Ondyb25n")
    assert response.status_code == 200
    user = django_user_model.objects.create_user("reader", password="secret-pass")
    client.force_login(user)
    assert client.get(API).json()["count"] == 6


@pytest.fixture
def varied_projects():
    """Projects that differ on every filter tried below, in two countries."""
    water = Theme.objects.get(slug="eau-et-assainissement")
    culture = Theme.objects.get(slug="culture")
    senegal = PartnerAuthorityFactory(name="Commune de Thiès", country=Country.objects.get(code="SN"))
    region = AuthorityFactory(kind="region", name="Région Exemple")
    rows = [
        ProjectFactory(
            title="Forages à Kaya", start_year=2012, end_year=2015, status="finished", themes=[water]
        ),
        ProjectFactory(
            title="Festival de Dakar", cooperation__partner=senegal, start_year=2018, themes=[culture]
        ),
        ProjectFactory(
            title="Assainissement à Thiès", cooperation__partner=senegal, themes=[water], start_year=2020
        ),
        ProjectFactory(title="Bibliothèque de Ouagadougou", cooperation__authority=region, start_year=2008),
        ProjectFactory(title="Écoles de Bobo", status="dormant", start_year=2016, themes=[culture, water]),
    ]
    return rows


SEARCHES = [
    {},
    {"country": "senegal"},
    {"theme": "eau-et-assainissement", "status": "ongoing"},
    {"theme": ["eau-et-assainissement", "culture"]},
    {"status": ["finished", "dormant"]},
    {"year_from": 2016, "sort": "title"},
    {"year_to": 2015, "sort": "-title"},
    {"authority_kind": "region"},
    {"partner": "Thi", "sort": "title"},
    {"sort": "-country"},
    {"q": "forages"},
    {"q": "thies", "sort": "year"},
]


@pytest.mark.parametrize("query", SEARCHES)
def test_filters_agree_with_the_advanced_search(client, home, varied_projects, query):
    """The same query string gives the same projects, in the same order, in the search page and the API."""
    atlas = AtlasPageFactory(parent=home, slug="atlas")
    page = client.get(f"{atlas.url}recherche/", query)
    assert page.status_code == 200
    search_ids = [int(pk) for pk in re.findall(rf'href="{atlas.url}projets/(\d+)/"', page.text)]
    api = client.get(API, {**query, "page_size": 200}).json()
    assert [project["id"] for project in api["results"]] == search_ids
    assert api["count"] == len(search_ids)
    # Every search finds some projects but not all (a sort alone keeps them all).
    assert search_ids
    assert len(search_ids) < len(varied_projects) or set(query) <= {"sort"}


def test_every_search_parameter_is_a_documented_api_parameter(client):
    schema = client.get(reverse("atlas_data:api_schema")).json()
    parameters = {parameter["name"] for parameter in schema["paths"][API]["get"]["parameters"]}
    assert parameters == set(ProjectFilterSet.base_filters) | {"page", "page_size"}


def test_schema_is_valid_openapi_3_and_describes_the_api(client):
    response = client.get("/donnees/api/schema/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    schema = response.json()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {API, f"{API}{{id}}/"}
    assert list(schema["components"]["schemas"]["Project"]["properties"]) == COLUMN_NAMES
    project = schema["components"]["schemas"]["Project"]["properties"]
    assert project["end_year"]["nullable"] is True
    assert project["budget"]["type"] == "integer"
    list_responses = schema["paths"][API]["get"]["responses"]
    assert set(list_responses) == {"200", "400", "404"}
    assert client.get("/donnees/api/schema/", {"format": "yaml"}).content.startswith(b"openapi: 3.")


def test_schema_speaks_the_visitors_language(client):
    french = client.get("/donnees/api/schema/").json()
    country = next(p for p in french["paths"][API]["get"]["parameters"] if p["name"] == "country")
    assert country["description"] == "Pays"
    english = client.get("/en/donnees/api/schema/").json()
    assert set(english["paths"]) == {f"/en{API}", f"/en{API}{{id}}/"}


class AssetCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.assets = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe") and attrs.get("src"):
            self.assets.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.assets.append(attrs["href"])


def test_docs_page_loads_everything_from_this_site(client):
    response = client.get("/donnees/api/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="swagger-ui"' in html
    assert f'href="{reverse("atlas_data:api_schema")}"' in html
    collector = AssetCollector()
    collector.feed(html)
    assert len(collector.assets) >= 4
    for url in collector.assets:
        assert urlsplit(url).netloc in ("", "testserver"), url
        if url.startswith(settings.STATIC_URL):
            assert finders.find(url.removeprefix(settings.STATIC_URL)), url
        else:
            assert client.get(url).status_code == 200, url
    script_url = next(url for url in collector.assets if "script" in url)
    script = client.get(script_url).content.decode()
    # Swagger UI shows a badge fetched from validator.swagger.io unless told not to.
    assert '"validatorUrl": null' in script
    assert f'url: "{reverse("atlas_data:api_schema")}"' in script
    assert not re.search(r"https?://", script)


def test_open_data_page_links_the_api_documentation_and_schema(client, home):
    html = client.get(reverse("atlas_data:open_data")).content.decode()
    assert f'href="{reverse("atlas_data:api_docs")}"' in html
    assert f'href="{reverse("atlas_data:api_schema")}"' in html


def test_query_count_is_the_same_for_2_and_30_rows(client, django_assert_max_num_queries):
    water, culture = Theme.objects.get(slug="eau-et-assainissement"), Theme.objects.get(slug="culture")
    burkina = Country.objects.get(code="BF")

    def add(n):
        for index in range(n):
            # Each row its own authority and partner, and two themes: nothing shared to hide a lookup per row.
            ProjectFactory(
                title=f"Projet {index}", themes=[water, culture], cooperation__partner__country=burkina
            )

    add(2)
    with CaptureQueriesContext(connection) as small:
        assert len(client.get(API, {"country": burkina.slug, "theme": "culture"}).json()["results"]) == 2
    add(28)
    with CaptureQueriesContext(connection) as large:
        assert len(client.get(API, {"country": burkina.slug, "theme": "culture"}).json()["results"]) == 30
    assert len(small) == len(large)
    # One of them finds the live Atlas page, once per request, for the projects' addresses.
    with django_assert_max_num_queries(6):
        client.get(API, {"country": burkina.slug, "theme": "culture"})
    one = Project.objects.first()
    with django_assert_max_num_queries(3):
        assert client.get(f"{API}{one.pk}/").status_code == 200
