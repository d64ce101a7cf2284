import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from atlas.exports.schema import COLUMN_NAMES
from atlas.models import Country
from tests.atlas.factories import CooperationFactory, PartnerAuthorityFactory, ProjectFactory

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


def test_one_project(client, projects):
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
