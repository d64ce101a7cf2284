"""The Bourse-projets exports (CSV and JSON) go through the Atlas export writers: streamed, UTF-8 with a byte
order mark for the CSV, public projects only, and a constant number of queries whatever the row count."""

import csv
import datetime
import io
import json

import pytest

from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from atlas.bourse.models import BourseProject
from atlas.models import Theme
from tests.atlas.factories import BoursePageFactory, BourseProjectFactory

pytestmark = pytest.mark.django_db

CSV_URL, JSON_URL = "/donnees/bourse/projets.csv", "/donnees/bourse/projets.json"


@pytest.fixture
def bourse(home):
    return BoursePageFactory(parent=home, slug="bourse-projets")


def csv_rows(response):
    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def json_data(response):
    return json.loads(b"".join(response.streaming_content).decode("utf-8"))


def test_the_urls_are_unchanged():
    assert reverse("atlas_data:bourse_csv") == CSV_URL
    assert reverse("atlas_data:bourse_json") == JSON_URL


def test_the_csv_is_streamed_with_a_bom_and_named_as_before(client, bourse):
    BourseProjectFactory(title="Marché de Kaolack", budget=50000)
    response = client.get(CSV_URL)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="bourse-projets.csv"'
    rows = csv_rows(response)
    assert [row["title"] for row in rows] == ["Marché de Kaolack"]
    assert rows[0]["budget"] == "50000"
    assert rows[0]["duration_months"] == ""  # unknown stays empty


def test_the_json_is_streamed_with_its_schema_count_and_results(client, bourse):
    water = Theme.objects.get(slug="eau-et-assainissement")
    project = BourseProjectFactory(title="Marché de Kaolack", themes=[water], budget=50000)
    response = client.get(JSON_URL, HTTP_ACCEPT_LANGUAGE="fr")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json_data(response)
    assert list(data) == ["schema", "count", "results"]
    names = [field["name"] for field in data["schema"]["fields"]]
    assert data["count"] == 1
    assert list(data["results"][0]) == names
    record = data["results"][0]
    assert record["id"] == project.pk
    assert record["themes"] == water.name
    assert record["budget"] == 50000
    assert record["url"].endswith(f"/bourse-projets/projets/{project.pk}/")


def test_only_public_projects_are_exported(client, bourse):
    BourseProjectFactory(title="Public")
    BourseProjectFactory(title="Brouillon", live=False)
    BourseProjectFactory(title="Expiré", expires_on=timezone.localdate() - datetime.timedelta(days=1))
    BourseProjectFactory(title="Pourvu", status=BourseProject.Status.PARTNERED)
    BourseProjectFactory(title="Clos", status=BourseProject.Status.CLOSED)
    assert [row["title"] for row in csv_rows(client.get(CSV_URL))] == ["Public"]
    data = json_data(client.get(JSON_URL))
    assert data["count"] == 1
    assert [record["title"] for record in data["results"]] == ["Public"]


def test_the_filters_of_the_bourse_page_apply(client, bourse):
    BourseProjectFactory(title="Petit", budget=1000)
    BourseProjectFactory(title="Grand", budget=900000)
    assert [row["title"] for row in csv_rows(client.get(CSV_URL, {"budget_min": "5000"}))] == ["Grand"]
    data = json_data(client.get(JSON_URL, {"budget_max": "5000"}))
    assert [record["title"] for record in data["results"]] == ["Petit"]
    assert data["count"] == 1


@pytest.mark.parametrize("count", [2, 30])
def test_query_count_does_not_grow_with_the_rows(client, bourse, count, django_assert_max_num_queries):
    water = Theme.objects.get(slug="eau-et-assainissement")
    for _ in range(count):
        BourseProjectFactory(themes=[water])
    client.get(CSV_URL)  # warms the site and settings caches
    with django_assert_max_num_queries(5):
        assert len(csv_rows(client.get(CSV_URL))) == count
    with django_assert_max_num_queries(5):
        assert len(json_data(client.get(JSON_URL))["results"]) == count
