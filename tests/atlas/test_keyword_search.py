"""The Atlas keyword search matches whole words, accents ignored, and agrees with the site search; the site
search finds the published Bourse projects. Run on SQLite and on PostgreSQL (DATABASE_URL)."""

import json

import pytest

from atlas.models import Country
from tests.atlas.factories import (
    AuthorityFactory,
    BoursePageFactory,
    BourseProjectFactory,
    CooperationFactory,
    PartnerAuthorityFactory,
    ProjectFactory,
)


@pytest.fixture
def projects(atlas):
    senegal = Country.objects.get(code="SN")
    plain = CooperationFactory(
        authority=AuthorityFactory(name="Ville de Lyon"),
        partner=PartnerAuthorityFactory(name="Kaolack", country=senegal),
    )
    return {
        "water": ProjectFactory(
            title="Accès à l’eau potable", summary="Forages et latrines.", cooperation=plain
        ),
        "bike": ProjectFactory(
            title="Pistes cyclables", summary="Un réseau de vélo partagé.", cooperation=plain
        ),
        "development": ProjectFactory(
            title="Développement économique", summary="Soutien aux artisans.", cooperation=plain
        ),
        "plateau": ProjectFactory(
            title="Jumelage culturel", summary="Échanges avec Le Plateau.", cooperation=plain
        ),
        "bordeaux": ProjectFactory(
            title="Formation des agents",
            summary="Stages d’agents municipaux.",
            cooperation=CooperationFactory(
                authority=AuthorityFactory(name="Bordeaux Métropole"),
                partner=PartnerAuthorityFactory(name="Saint-Louis", country=senegal),
            ),
        ),
        "by_name": ProjectFactory(
            title="Gestion des déchets",
            summary="Collecte sélective.",
            cooperation=CooperationFactory(
                authority=AuthorityFactory(name="Syndicat de l’Eau du Rhône"),
                partner=PartnerAuthorityFactory(name="Thiès", country=senegal),
            ),
        ),
    }


def atlas_titles(client, q):
    # Rendered afresh (as a hard reload: not from the page cache), so that the template's context is there.
    response = client.get("/atlas/recherche/", {"q": q}, headers={"Cache-Control": "no-cache"})
    assert response.status_code == 200
    return {project.title for project in response.context["page_obj"]}


def site_titles(client, q, type_key):
    response = client.get("/recherche/", {"q": q, "type": type_key})
    assert response.status_code == 200
    return {hit.url for hit in response.context["page_obj"]}


def test_a_keyword_matches_words_not_parts_of_words(client, projects):
    found = atlas_titles(client, "eau")
    assert "Accès à l’eau potable" in found
    # The authority's name holds the word "Eau": its projects are found too.
    assert "Gestion des déchets" in found
    # "Bordeaux" and "Le Plateau" only contain the letters.
    assert "Formation des agents" not in found
    assert "Jumelage culturel" not in found


def test_accents_are_ignored_but_words_stay_words(client, projects):
    assert atlas_titles(client, "velo") == {"Pistes cyclables"}
    assert atlas_titles(client, "VÉLO") == {"Pistes cyclables"}
    assert atlas_titles(client, "developpement") == {"Développement économique"}


def test_every_word_must_be_found_somewhere(client, projects):
    # "eau" in the title, "Kaolack" in the partner's name.
    assert atlas_titles(client, "eau kaolack") == {"Accès à l’eau potable"}
    assert atlas_titles(client, "eau thies") == {"Gestion des déchets"}
    assert atlas_titles(client, "velo thies") == set()


def test_a_country_name_finds_its_projects(client, projects):
    assert atlas_titles(client, "senegal") == {project.title for project in projects.values()}


def test_keyword_results_agree_with_the_site_search(client, projects):
    for word in ["eau", "velo", "plateau", "bordeaux", "developpement", "latrines"]:
        in_site = site_titles(client, word, "project")
        in_atlas = {
            f"/atlas/projets/{project.pk}/"
            for project in projects.values()
            if project.title in atlas_titles(client, word)
        }
        # Every project the site search finds is found by the Atlas (which also reads the names).
        assert in_site <= in_atlas, word
    assert site_titles(client, "eau", "project") == {f"/atlas/projets/{projects['water'].pk}/"}


def test_a_keyword_searchs_map_and_exports_hold_its_results_only(client, projects):
    """The keyword test also runs inside other queries (the map's cooperations, an export's rows), where the
    project query becomes a subquery with its own table names."""
    by_title = json.dumps(client.get("/donnees/atlas/carte.json", {"q": "velo"}).json(), ensure_ascii=False)
    assert "Kaolack" in by_title
    assert "Thiès" not in by_title
    by_name = json.dumps(client.get("/donnees/atlas/carte.json", {"q": "thies"}).json(), ensure_ascii=False)
    assert "Thiès" in by_name
    assert "Kaolack" not in by_name
    response = client.get("/donnees/atlas/projets.csv", {"q": "velo"})
    rows = b"".join(response.streaming_content).decode()
    assert "Pistes cyclables" in rows
    assert "Accès à l’eau potable" not in rows


def test_punctuation_in_keywords_is_no_syntax(client, projects):
    assert atlas_titles(client, "l'eau") == atlas_titles(client, "eau")
    assert atlas_titles(client, '"eau" * %') == atlas_titles(client, "eau")


def test_the_site_search_finds_published_bourse_projects_only(client, home):
    bourse = BoursePageFactory(parent=home, slug="bourse")
    shown = BourseProjectFactory(title="Adduction d’eau à Kolda")
    BourseProjectFactory(title="Adduction d’eau à Sédhiou", live=False)
    response = client.get("/recherche/", {"q": "adduction"})
    counts = {facet.key: facet.count for facet in response.context["facets"]}
    assert counts["bourse"] == 1
    urls = [hit.url for hit in response.context["page_obj"]]
    assert urls == [bourse.url + f"projets/{shown.pk}/"]
    assert client.get(urls[0]).status_code == 200
    assert "Sédhiou" not in response.text
