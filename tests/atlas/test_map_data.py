"""The map data at every scale: all the markers while they are few, clusters of a grid beyond (ten times the
2012 Atlas), and the markers or clusters of one view (`?bbox=&zoom=`), every answer bounded."""

import gzip
import json

import pytest

from atlas import queries
from atlas.models import Authority, Cooperation, Country, PartnerAuthority, Project
from atlas.queries import cell_degrees
from tests.atlas.factories import ProjectFactory

MAP = "/donnees/atlas/carte.json"
FRANCE = "-5.5,41,10,51.5"


@pytest.fixture
def spread(db):
    """Cooperations of French authorities along a line from Brittany to Alsace with partners along one in
    Senegal and Burkina Faso: (authorities, partners) counts."""
    senegal = Country.objects.get(code="SN")
    authorities = Authority.objects.bulk_create(
        Authority(
            name=f"Commune {i}",
            slug=f"commune-{i}",
            kind="commune",
            region="53",
            departement="35",
            latitude=48.0 + i * 0.01,
            longitude=-4.0 + i * 0.1,
        )
        for i in range(120)
    )
    partners = PartnerAuthority.objects.bulk_create(
        PartnerAuthority(
            name=f"Partenaire {i}",
            name_key=f"partenaire {i}",
            country=senegal,
            latitude=12.0 + i * 0.02,
            longitude=-17.0 + i * 0.1,
        )
        for i in range(90)
    )
    if authorities[0].pk is None:  # SQLite gives no primary keys back
        authorities = list(Authority.objects.order_by("pk"))
        partners = list(PartnerAuthority.objects.order_by("pk"))
    cooperations = Cooperation.objects.bulk_create(
        Cooperation(authority=authorities[i % 120], partner=partners[i % 90]) for i in range(150)
    )
    if cooperations[0].pk is None:
        cooperations = list(Cooperation.objects.order_by("pk"))
    Project.objects.bulk_create(
        Project(cooperation=cooperation, title=f"Projet {i}", status="ongoing", start_year=2020)
        for i, cooperation in enumerate(cooperations)
    )
    return 120, 90


def get_json(client, params=None):
    response = client.get(MAP, params or {})
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def markers(answer):
    return len(answer.get("authorities", [])) + len(answer.get("partners", []))


def clustered(answer):
    return sum(a + p for _lat, _lng, a, p in answer["clusters"])


def test_below_the_limit_the_whole_map_has_every_marker_and_tie(client, spread):
    answer = get_json(client)
    assert "clusters" not in answer
    assert (len(answer["authorities"]), len(answer["partners"]), len(answer["ties"])) == (120, 90, 150)


def test_beyond_the_limit_the_whole_map_is_clusters_counting_every_marker(client, spread, settings):
    settings.ATLAS_MAP_MARKER_LIMIT = 100
    answer = get_json(client)
    assert "authorities" not in answer
    assert answer["zoom"] == 2
    assert answer["cell"] == cell_degrees(2)  # the map zooms on a chosen cluster's cell
    assert clustered(answer) == 210
    # At the world's zoom France and Senegal are apart: their clusters are not mixed.
    french = [c for c in answer["clusters"] if c[0] > 40]
    assert sum(c[2] for c in french) == 120
    assert sum(c[3] for c in french) == 0
    # Each cluster sits where its markers are (their mean position), within its cell.
    for lat, lng, _a, _p in french:
        assert 48 <= lat <= 49.2
        assert -4 <= lng <= 8


def test_a_view_with_few_markers_gets_them_with_their_links(client, spread, settings):
    settings.ATLAS_MAP_MARKER_LIMIT = 150  # the whole map's 210 are clusters, France's 120 are not
    answer = get_json(client, {"bbox": FRANCE, "zoom": "6"})
    assert len(answer["authorities"]) == 120
    assert answer["partners"] == []
    first = min(answer["authorities"])
    assert first[3:] == ["Commune 0", "commune-0"]  # name and slug: the popup's link


def test_a_view_with_too_many_markers_gets_the_clusters_of_its_zoom(client, spread, settings):
    settings.ATLAS_MAP_MARKER_LIMIT = 50
    coarse = get_json(client, {"bbox": FRANCE, "zoom": "5"})
    fine = get_json(client, {"bbox": FRANCE, "zoom": "7"})
    assert coarse["zoom"] == 5
    assert fine["zoom"] == 7
    assert clustered(coarse) == clustered(fine) == 120
    assert len(fine["clusters"]) > len(coarse["clusters"])
    # Cells are as wide as the zoom says: no two clusters of the fine grid share a cell.
    cell = cell_degrees(7)
    assert len({(lng // cell, lat // cell) for lat, lng, *_n in fine["clusters"]}) == len(fine["clusters"])


def test_a_view_only_shows_its_own_markers(client, spread):
    senegal_only = get_json(client, {"bbox": "-18,11,-6,15", "zoom": "6"})
    assert senegal_only["authorities"] == []
    assert len(senegal_only["partners"]) == 90
    # A view across the antimeridian (Leaflet's copies of the world) is read as two ranges of longitude.
    wrapped = get_json(client, {"bbox": "170,-60,370,80", "zoom": "3"})
    assert len(wrapped["authorities"]) == 120
    assert len(wrapped["partners"]) == 90
    nowhere = get_json(client, {"bbox": "100,-40,120,-20", "zoom": "6"})
    assert markers(nowhere) == 0


def test_a_view_keeps_the_search_filters(client, spread):
    project = Project.objects.select_related("cooperation__partner").order_by("pk").first()
    project.status = "finished"
    project.end_year = 2021
    project.save()
    answer = get_json(client, {"status": "finished", "bbox": "-180,-90,180,90", "zoom": "3"})
    assert [row[0] for row in answer["partners"]] == [project.cooperation.partner_id]


def test_every_answer_is_bounded(client, db, settings):
    """Thousands of markers: the whole map and any view stay within the limit or are a few clusters."""
    settings.ATLAS_MAP_MARKER_LIMIT = 500
    for i in range(3):
        ProjectFactory(cooperation__authority__latitude=45.0 + i, cooperation__authority__longitude=2.0)
    base = Authority.objects.first()
    partner = PartnerAuthority.objects.first()
    extra = Authority.objects.bulk_create(
        Authority(
            name=f"Syndicat {i}",
            slug=f"syndicat-{i}",
            kind="epci",
            region="84",
            latitude=42.0 + (i % 80) * 0.1,
            longitude=-4.0 + (i // 80) * 0.12,
        )
        for i in range(8000)
    )
    if extra[0].pk is None:
        extra = list(Authority.objects.exclude(pk=base.pk).filter(slug__startswith="syndicat-"))
    Cooperation.objects.bulk_create(Cooperation(authority=a, partner=partner) for a in extra)
    for params in (
        {},
        {"bbox": FRANCE, "zoom": "4"},
        {"bbox": FRANCE, "zoom": "9"},
        {"bbox": "2,46,3,47", "zoom": "12"},
    ):
        response = client.get(MAP, params, HTTP_ACCEPT_ENCODING="gzip")
        answer = json.loads(gzip.decompress(response.content))
        assert markers(answer) <= 500, params
        if "clusters" in answer:
            assert len(answer["clusters"]) <= queries.MAX_VIEW_CELLS, params
    # the 8,000 syndicates, and the three projects' authorities and partners
    assert clustered(get_json(client)) == 8000 + 3 + 3


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"bbox": FRANCE}, "niveau de zoom"),
        ({"zoom": "5"}, "niveau de zoom"),
        ({"bbox": FRANCE, "zoom": "cinq"}, "nombre entier"),
        ({"bbox": FRANCE, "zoom": "99"}, "de 0 à 18"),
        ({"bbox": "1,2,3", "zoom": "5"}, "quatre nombres"),
        ({"bbox": "a,b,c,d", "zoom": "5"}, "quatre nombres"),
        ({"bbox": "nan,41,10,51", "zoom": "5"}, "quatre nombres"),
        ({"bbox": "-5,51,10,41", "zoom": "5"}, "sud"),
        ({"bbox": "10,41,-5,51", "zoom": "5"}, "sud"),
    ],
)
def test_a_bad_view_is_a_french_400(client, db, params, message):
    response = client.get(MAP, params)
    assert response.status_code == 400
    assert message in json.loads(response.content)["errors"]["bbox"][0]


@pytest.mark.parametrize("n", [5, 60])
def test_view_answers_take_a_constant_number_of_queries(
    client, db, django_assert_max_num_queries, n, settings
):
    settings.ATLAS_MAP_MARKER_LIMIT = 20
    for i in range(n):
        ProjectFactory(cooperation__authority__latitude=45.0 + i * 0.01)
    with django_assert_max_num_queries(6):
        client.get(MAP, {"bbox": FRANCE, "zoom": "6"})
    with django_assert_max_num_queries(6):
        client.get(MAP, {"bbox": FRANCE, "zoom": "6", "status": "ongoing"})
