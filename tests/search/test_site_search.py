import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from atlas.models import Country
from portal.core.text_search import search_terms
from search.service import highlight, mark_title
from tests.atlas.factories import (
    AuthorityFactory,
    CooperationFactory,
    PartnerAuthorityFactory,
    ProjectFactory,
)
from tests.pages.factories import StandardPageFactory


@pytest.fixture
def one_of_each(atlas, home):
    """One page and one record of each Atlas type, all mentioning Kédougou (with its accent)."""
    page = StandardPageFactory(
        parent=home, title="Kédougou et la coopération", intro="Un partenariat ancien."
    )
    authority = AuthorityFactory(name="Amicale Kédougou Rhône")
    partner = PartnerAuthorityFactory(name="Kédougou", country=Country.objects.get(code="SN"))
    project = ProjectFactory(
        title="Forages à Kédougou",
        summary="Amélioration de l’accès à l’eau potable dans la région de Kédougou.",
        cooperation=CooperationFactory(authority=authority, partner=partner),
    )
    return {"page": page, "authority": authority, "partner": partner, "project": project}


def get(client, **params):
    response = client.get("/recherche/", params)
    assert response.status_code == 200
    return response


def test_every_content_type_is_found_without_accents(client, one_of_each):
    response = get(client, q="kedougou")
    html = response.text
    counts = {facet.key: facet.count for facet in response.context["facets"]}
    assert counts == {"page": 1, "authority": 1, "partner": 1, "project": 1}
    assert response.context["total"] == 4
    assert response.context["page_obj"].paginator.count == 4
    for url in [
        one_of_each["page"].url,
        f"/atlas/collectivites/{one_of_each['authority'].slug}/",
        f"/atlas/partenaires/{one_of_each['partner'].pk}/",
        f"/atlas/projets/{one_of_each['project'].pk}/",
    ]:
        assert f'href="{url}"' in html
    assert 'data-type="page"' in html
    assert 'data-type="project"' in html


def test_the_links_lead_to_live_pages(client, one_of_each):
    for hit in get(client, q="Kédougou").context["page_obj"]:
        assert client.get(hit.url).status_code == 200, hit.url


def test_type_filter_restricts_results_and_keeps_every_count(client, atlas):
    partner = PartnerAuthorityFactory(name="Zinder", country=Country.objects.get(code="NE"))
    for n in range(3):
        ProjectFactory(title=f"Zinder projet {n}", cooperation=CooperationFactory(partner=partner))
    AuthorityFactory(name="Comité Zinder")
    response = get(client, q="zinder", type="project")
    hits = list(response.context["page_obj"])
    assert len(hits) == 3
    assert {hit.source.key for hit in hits} == {"project"}
    counts = {facet.key: facet.count for facet in response.context["facets"]}
    assert counts == {"page": 0, "authority": 1, "partner": 1, "project": 3}
    assert [f.key for f in response.context["facets"] if f.active] == ["project"]
    assert 'aria-current="page"' in response.text
    assert 'name="type" value="project"' in response.text  # a new search keeps the filter
    # An unknown type shows everything.
    assert get(client, q="zinder", type="nope").context["page_obj"].paginator.count == 5


def test_excerpts_mark_the_matched_words_and_escape_the_text(client, atlas):
    ProjectFactory(
        title="<script>x</script> Puits de Zinder",
        summary="Des <b>puits</b> et de l’eau à Zinder, pour les écoles.",
    )
    AuthorityFactory(name="<script>alert(1)</script> Zinder")
    html = get(client, q="zinder").text
    assert "<script>x</script>" not in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt; Puits de <mark>Zinder</mark>" in html
    assert "Des &lt;b&gt;puits&lt;/b&gt; et de l’eau à <mark>Zinder</mark>" in html


def test_highlight_ignores_accents_and_cuts_long_text():
    text = "Début. " + "mot " * 100 + "La coopération décentralisée pour l’eau. " + "fin " * 100
    excerpt = highlight(text, search_terms("cooperation eaux"))
    assert "<mark>coopération</mark>" in excerpt
    assert "<mark>eau</mark>" in excerpt
    assert excerpt.startswith("… ")
    assert excerpt.endswith(" …")
    assert len(excerpt) < 320
    assert highlight("a < b & c", ["b"]) == "a &lt; <mark>b</mark> &amp; c"
    assert mark_title("<i>Été</i>", ["ete"]) == "&lt;i&gt;<mark>Été</mark>&lt;/i&gt;"
    assert highlight("", ["x"]) == ""


def test_the_query_is_escaped_in_the_page(client, home):
    html = get(client, q="<script>alert(1)</script>").text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_promotions_come_first_as_recommended_cards(client, one_of_each, home):
    about = StandardPageFactory(parent=home, title="Le guide de la coopération", slug="guide")
    SearchPromotion.objects.create(query=Query.get("Kédougou"), page=about, description="Tout savoir.")
    SearchPromotion.objects.create(
        query=Query.get("Kédougou"), external_link_url="https://example.org/", external_link_text="Ailleurs"
    )
    html = get(client, q="  KÉDOUGOU ").text
    assert html.count("portal-promotion") == 2
    assert html.index('href="/guide/"') < html.index('class="portal-results')
    assert "Tout savoir." in html
    assert 'href="https://example.org/"' in html
    assert "portal-promotion" not in get(client, q="forages").text
    # The query is counted for the editors' "popular searches" report.
    assert Query.get("kédougou").hits >= 1


def test_pagination(client, atlas):
    partner = PartnerAuthorityFactory(name="Maradi", country=Country.objects.get(code="NE"))
    cooperation = CooperationFactory(partner=partner)
    for n in range(24):
        ProjectFactory(title=f"Maradi projet {n}", cooperation=cooperation)
    first = get(client, q="maradi")
    assert first.context["page_obj"].paginator.count == 25
    assert len(first.context["page_obj"]) == 10
    assert "fr-pagination" in first.text
    assert "type=" not in first.text.split("fr-pagination", 1)[1][:50]
    third = get(client, q="maradi", page="3")
    assert third.context["page_obj"].number == 3
    assert len(third.context["page_obj"]) == 5
    assert get(client, q="maradi", page="99").context["page_obj"].number == 3
    assert get(client, q="maradi", page="abc").context["page_obj"].number == 1
    assert get(client, q="maradi", page="-1").context["page_obj"].number == 3
    # Chained pages neither repeat nor skip a hit.
    seen = [hit.url for n in (1, 2, 3) for hit in get(client, q="maradi", page=n).context["page_obj"]]
    assert len(seen) == len(set(seen)) == 25


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", "Saisissez un ou plusieurs mots"),
        ("zzzzqqqq", "Aucun résultat"),
        ("%%%", "Aucun résultat"),
        ("' OR 1=1 --", "Aucun résultat"),
        ('"unbalanced (quote* AND', "Aucun résultat"),
        ("NOT OR AND NEAR", "Aucun résultat"),
        ("🙂🙂", "Aucun résultat"),
        ("x" * 5000, "trop longue"),
    ],
)
def test_bad_input_gives_a_helpful_page(client, one_of_each, query, expected):
    response = client.get("/recherche/", {"q": query})
    assert response.status_code == 200
    assert expected in response.text


def test_a_null_character_gets_the_french_bad_request_page(client, one_of_each):
    # PostgreSQL cannot store or compare NUL: the portal refuses it before any view (core/middleware.py).
    response = client.get("/recherche/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert "Requête incorrecte" in response.text


def test_page_and_non_numeric_parameters_without_query(client, home):
    assert get(client, page="x", type="<b>").status_code == 200


def test_unpublished_pages_are_not_found(client, home):
    StandardPageFactory(parent=home, title="Brouillon Tombouctou", live=False)
    assert get(client, q="tombouctou").context["total"] == 0


def build(home, count, first=0):
    niger = Country.objects.get(code="NE")
    for n in range(first, first + count):
        StandardPageFactory(parent=home, title=f"Niamey page {n}", slug=f"niamey-{n}")
        partner = PartnerAuthorityFactory(name=f"Niamey {n}", country=niger)
        authority = AuthorityFactory(name=f"Amis de Niamey {n}")
        ProjectFactory(
            title=f"Niamey projet {n}", cooperation=CooperationFactory(authority=authority, partner=partner)
        )


def count_queries(client, **params):
    with CaptureQueriesContext(connection) as captured:
        get(client, **params)
    return len(captured)


def test_query_count_is_constant(client, atlas, home, django_assert_max_num_queries):
    build(home, 1)
    get(client, q="niamey")  # the first request fills Wagtail's per-process caches (site root paths)
    few = count_queries(client, q="niamey")  # one hit of each type on the page: every source is read
    build(home, 14, first=1)
    # 60 hits: the first page holds only pages, the last one projects; every type alone.
    for params in [{}, {"page": 6}, *({"type": key} for key in ("page", "authority", "partner", "project"))]:
        assert count_queries(client, q="niamey", **params) <= few, params
    with django_assert_max_num_queries(25):
        get(client, q="niamey", page=2)
    with django_assert_max_num_queries(25):
        get(client, q="niamey", type="project")


def test_french_stemming_on_postgresql(client, home):
    if connection.vendor != "postgresql":
        pytest.skip("French stemming needs PostgreSQL's french_unaccent configuration")
    StandardPageFactory(parent=home, title="Coopération décentralisée", intro="L’accès à l’eau potable.")
    response = get(client, q="cooperation eaux")
    assert response.context["total"] == 1
    assert "<mark>eau</mark>" in response.text


def test_accents_are_ignored_both_ways(client, home):
    StandardPageFactory(parent=home, title="Thies sans accent", slug="sans-accent")
    StandardPageFactory(parent=home, title="Thiès accentué", slug="accentue")
    assert get(client, q="thies").context["total"] == 2
    assert get(client, q="THIÈS").context["total"] == 2
