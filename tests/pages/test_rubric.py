import json
import re

import pytest

from django.urls import reverse

from pages.models import first_of_month
from tests.pages.factories import CountryZoomPageFactory


def titles(response):
    return [page.title for page in response.context["page_obj"].object_list]


def test_month_defaults_to_the_first_day_of_the_current_month(rubric):
    page = CountryZoomPageFactory(parent=rubric, slug="z")
    assert page.month == first_of_month()
    page.month = page.month.replace(day=17)
    page.save()
    assert page.month.day == 1


def test_rubric_shows_the_latest_month_and_the_whole_archive(client, rubric, features, months):
    response = client.get(rubric.url)
    assert response.status_code == 200
    assert response.context["features_month"] == months[0]
    assert {page.slug for page in response.context["features"]} == {"temoignage", "zoom", "pratique"}
    assert response.context["page_obj"].paginator.count == 5
    assert "fr-card" in response.text
    assert response.text.count("<h1") == 1


def test_a_month_with_no_new_feature_keeps_the_latest_one(client, rubric, features, months):
    for key in ("testimony", "zoom", "practice"):
        features[key].unpublish()
    response = client.get(rubric.url)
    assert response.context["features_month"] == months[1]
    assert len(response.context["features"]) == 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "country-zoom"}, {"Zoom sur le Sénégal", "Zoom sur le Maroc"}),
        ({"country": "maroc"}, {"Zoom sur le Maroc", "Une bonne pratique"}),
        ({"kind": "good-practice", "country": "maroc"}, {"Une bonne pratique"}),
    ],
)
def test_archive_filters(client, rubric, features, query, expected):
    response = client.get(rubric.url, query)
    assert set(titles(response)) == expected


def test_archive_filters_by_month_and_theme(client, rubric, features, months):
    response = client.get(rubric.url, {"month": months[1].strftime("%Y-%m")})
    assert {page.slug for page in response.context["page_obj"].object_list} == {"zoom-maroc", "ancienne"}
    response = client.get(rubric.url, {"theme": features["water"].slug})
    assert {page.slug for page in response.context["page_obj"].object_list} == {"pratique", "ancienne"}


def test_filter_form_works_without_javascript(client, rubric, features):
    response = client.get(rubric.url)
    form = re.search(r'<form method="get".*?</form>', response.text, re.S).group(0)
    assert 'name="kind"' in form
    assert 'name="country"' in form
    assert 'name="month"' in form
    assert 'type="submit"' in form


def test_archive_is_paginated(client, rubric, features, settings, monkeypatch):
    monkeypatch.setattr("pages.models.FEATURES_PER_PAGE", 2)
    response = client.get(rubric.url, {"page": 2})
    assert response.context["page_obj"].number == 2
    assert len(response.context["page_obj"].object_list) == 2
    assert "fr-pagination" in response.text


def test_rubric_and_feature_query_counts(client, rubric, features, django_assert_max_num_queries):
    client.get(rubric.url)
    with django_assert_max_num_queries(25):
        assert client.get(rubric.url, {"kind": "country-zoom", "country": "maroc"}).status_code == 200
    client.get(features["zoom"].url)
    with django_assert_max_num_queries(25):
        assert client.get(features["zoom"].url).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(features["testimony"].url).status_code == 200


def test_related_features_share_a_country_or_a_theme(rubric, features):
    related = {page.slug for page in features["practice"].related_features()}
    assert related == {"zoom-maroc", "ancienne"}
    related = {page.slug for page in features["testimony"].related_features()}
    assert related == {"zoom"}
    assert len(features["zoom"].related_features()) <= 3


def test_feature_page_has_open_graph_and_json_ld(client, rubric, features):
    response = client.get(features["testimony"].url)
    assert response.status_code == 200
    assert '<meta property="og:type" content="article">' in response.text
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S)[1]
    )
    assert data["@type"] == "Article"
    assert data["headline"] == features["testimony"].title
    assert "Claire Martin" in response.text
    assert "fr-quote" in response.text


def test_country_zoom_shows_live_atlas_figures_and_a_map(client, rubric, features):
    response = client.get(features["zoom"].url)
    assert response.context["figures"]["authority_count"] >= 0
    config = json.loads(response.context["map_config"])
    assert config["data"] == reverse("atlas_data:map_data") + "?country=senegal"
    assert config["view"] == "fit"
    assert config["cluster"] is True
    assert 'class="portal-map atlas-map' in response.text
    assert "leaflet.js" in response.text


def test_home_shows_this_month_features_and_the_atlas_figures(client, rubric, features):
    response = client.get("/")
    assert {page.slug for page in response.context["features"]} == {"temoignage", "zoom", "pratique"}
    assert response.text.count("fr-card fr-enlarge-link") == 3


def test_preview_renders(rubric, features, rf):
    request = rf.get("/")
    response = features["practice"].make_preview_request(request)
    assert response.status_code == 200
