"""The Atlas advanced search at ten times the 2012 Atlas: each project listed once without a DISTINCT over
every column, a result count kept per Atlas version and search (and right after an edit), the countries of
the form found without reading every partner. Run on SQLite and on PostgreSQL (DATABASE_URL)."""

import re

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from atlas.models import Country, Theme
from tests.atlas.factories import (
    AuthorityFactory,
    CooperationFactory,
    PartnerAuthorityFactory,
    ProjectFactory,
)

NO_CACHE = {"cache-control": "no-cache"}


@pytest.fixture
def projects(atlas):
    water, health = Theme.objects.get(slug="eau-et-assainissement"), Theme.objects.get(slug="sante")
    senegal = Country.objects.get(code="SN")
    cooperation = CooperationFactory(
        authority=AuthorityFactory(name="Syndicat des eaux de Bessancourt"),
        partner=PartnerAuthorityFactory(name="Kaolack", country=senegal),
    )
    both = ProjectFactory(title="Forages et dispensaires", summary="Deux thèmes.", cooperation=cooperation)
    both.themes.set([water, health])
    other = ProjectFactory(
        title="Pistes cyclables",
        summary="Un réseau de vélo partagé.",
        cooperation=CooperationFactory(partner=PartnerAuthorityFactory(country=senegal)),
    )
    other.themes.set([health])
    return {"both": both, "other": other, "cooperation": cooperation}


def count_shown(html):
    return int(
        re.search(r'role="status"[^>]*>\s*([\d\s\u202f\xa0]+) projets?', html).group(1).replace(" ", "")
    )


def search(client, atlas, query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{atlas.url}recherche/?{query}", headers=NO_CACHE)
    assert response.status_code == 200
    return response.text, [q["sql"] for q in queries.captured_queries]


def test_a_project_with_several_chosen_themes_is_listed_once_without_distinct(client, atlas, projects):
    html, queries = search(client, atlas, "theme=eau-et-assainissement&theme=sante&status=ongoing")
    assert count_shown(html) == 2
    assert html.count(f"/projets/{projects['both'].pk}/") == 1
    project_queries = [sql for sql in queries if 'FROM "atlas_project"' in sql]
    assert project_queries
    assert not [sql for sql in project_queries if "DISTINCT" in sql]


def test_the_count_is_kept_per_search_and_follows_an_edit(client, atlas, projects):
    html, _queries = search(client, atlas, "q=bessancourt")
    # The authority's name brings its cooperation's project; the other project is another authority's.
    assert count_shown(html) == 1

    html, queries = search(client, atlas, "q=bessancourt&page=1")
    assert count_shown(html) == 1
    assert not [sql for sql in queries if "COUNT(" in sql.upper()], "the count is read again"

    ProjectFactory(
        title="Eau potable à Kaolack", summary="Des bornes-fontaines.", cooperation=projects["cooperation"]
    )
    html, _queries = search(client, atlas, "q=bessancourt")
    assert count_shown(html) == 2


def test_the_country_choices_do_not_read_every_partner(client, atlas, projects):
    html, queries = search(client, atlas, "")
    assert ">Sénégal</option>" in html
    country_queries = [sql for sql in queries if sql.lstrip().startswith('SELECT "atlas_country"')]
    assert country_queries
    assert not [sql for sql in country_queries if "JOIN" in sql or "DISTINCT" in sql]


def test_a_new_search_reads_its_matches_once_for_its_count_and_its_map(client, atlas, projects):
    """The count and the map's bounds come from one pass over the matches (at ten times the 2012 Atlas each
    pass over a common word's matches costs a third of a second, and a new search follows every edit)."""
    html, queries = search(client, atlas, "q=kaolack")
    assert count_shown(html) == 1
    counting = [sql for sql in queries if "COUNT(" in sql.upper()]
    assert len(counting) == 1
    assert "MIN(" in counting[0].upper()
    assert not [sql for sql in queries if "MIN(" in sql.upper() and sql not in counting]
