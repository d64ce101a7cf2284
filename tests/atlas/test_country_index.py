"""The country index /atlas/pays/: its figures, its orders, its measures, its map, its queries."""

import re
from html import unescape

import pytest

from django.core.cache import cache

from atlas.models import Country, Theme
from portal.core.choropleth import class_of, quantile_classes, world_paths
from tests.atlas.factories import (
    AuthorityFactory,
    CooperationFactory,
    PartnerAuthorityFactory,
    ProjectFactory,
)


@pytest.fixture
def water():
    return Theme.objects.get(slug="eau-et-assainissement")


@pytest.fixture
def world(water):
    """Sénégal: 3 projects (2 on water) of 2 French authorities with 2 partners, 1 twinning; Bénin: 1 project,
    1 twinning; Burkina Faso: 2 projects of one authority; Cabo Verde (too small for the 1:110m outlines): 1
    project; Mali: a partner without any cooperation."""
    countries = {code: Country.objects.get(code=code) for code in ("SN", "BJ", "BF", "CV", "ML")}
    rennes, nantes, lyon = (AuthorityFactory(name=name) for name in ("Rennes", "Nantes", "Lyon"))
    kaolack = PartnerAuthorityFactory(name="Kaolack", country=countries["SN"])
    thies = PartnerAuthorityFactory(name="Thiès", country=countries["SN"])
    twinning = CooperationFactory(authority=rennes, partner=kaolack, is_twinning=True)
    ProjectFactory(cooperation=twinning, themes=[water])
    ProjectFactory(cooperation=twinning)
    ProjectFactory(cooperation=CooperationFactory(authority=nantes, partner=thies), themes=[water])
    benin = CooperationFactory(
        authority=nantes, partner=PartnerAuthorityFactory(country=countries["BJ"]), is_twinning=True
    )
    ProjectFactory(cooperation=benin)
    burkina = CooperationFactory(authority=lyon, partner=PartnerAuthorityFactory(country=countries["BF"]))
    ProjectFactory(cooperation=burkina)
    ProjectFactory(cooperation=burkina)
    ProjectFactory(
        cooperation=CooperationFactory(
            authority=lyon, partner=PartnerAuthorityFactory(country=countries["CV"]), kind="external_action"
        )
    )
    PartnerAuthorityFactory(name="Ségou", country=countries["ML"])
    return countries


def index(client, atlas, query="", **headers):
    return client.get(f"{atlas.url}pays/{query}", headers=headers)


def table_rows(html):
    """[(country, authorities, partners, projects, twinnings, [theme], class)] of the table, in its order."""
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [
            unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        rows.append(tuple(cells))
    return rows


def areas(html):
    """{accessible name: href} of the map's country links."""
    svg = html.split('<svg xmlns="http://www.w3.org/2000/svg" class="choropleth"')[1].split("</svg>")[0]
    return {
        unescape(label): href
        for href, label in re.findall(
            r'<a href="([^"]+)" class="choropleth__area[^"]*" aria-label="([^"]+)"', svg
        )
    }


def test_every_partner_country_with_the_figures_of_its_records(client, atlas, world):
    response = index(client, atlas)
    assert response.status_code == 200
    assert table_rows(response.text) == [
        ("Bénin", "1", "1", "1", "1", "1 sur 3"),
        ("Burkina Faso", "1", "1", "2", "0", "2 sur 3"),
        ("Cap-Vert", "1", "1", "1", "0", "1 sur 3"),
        ("Mali", "0", "1", "0", "0", "—"),
        ("Sénégal", "2", "2", "3", "1", "3 sur 3"),
    ]


def test_the_map_names_and_links_every_listed_country(client, atlas, world):
    html = index(client, atlas).text
    assert '<title id="choropleth-title">Projets par pays partenaire</title>' in html
    assert '<desc id="choropleth-desc">' in html
    links = areas(html)
    assert links == {
        "Bénin : 1 projet, classe 1 sur 3": "/atlas/pays/benin/",
        "Burkina Faso : 2 projets, classe 2 sur 3": "/atlas/pays/burkina-faso/",
        "Cap-Vert : 1 projet, classe 1 sur 3": "/atlas/pays/cap-vert/",
        "Mali : 0 projet": "/atlas/pays/mali/",
        "Sénégal : 3 projets, classe 3 sur 3": "/atlas/pays/senegal/",
    }
    # One shape per country with data: its outline, or a disc for the islands the 1:110m outlines omit.
    paths, _unknown = world_paths()
    assert "CV" not in paths
    assert {"SN", "BJ", "BF", "ML"} <= paths.keys()
    for code in ("SN", "BJ", "BF", "CV", "ML"):
        assert html.count(f'data-code="{code}"') == 1, code
    # Colour is not the only cue: each class has its own hatching pattern, referred to by the legend too.
    assert (
        'fill="url(#choropleth-level-5)" stroke="#3a3a3a" stroke-width="0.6" fill-rule="evenodd" '
        'data-code="SN"' in html
    )
    assert html.count('fill="url(#choropleth-level-5)"') == 2  # Sénégal and its legend swatch
    assert "Classe 3 sur 3 : 3" in html
    assert "Classe 2 sur 3 : 2" in html
    assert "Classe 1 sur 3 : 1" in html
    assert ' style="' not in html.split("<main")[1]


def test_measure_switch_to_authorities_twinnings_and_a_theme(client, atlas, world, water):
    html = index(client, atlas, "?mesure=collectivites").text
    assert "Sénégal : 2 collectivités françaises, classe 2 sur 2" in areas(html)
    assert "Mali : 0 collectivité française" in areas(html)

    html = index(client, atlas, "?mesure=jumelages").text
    assert set(areas(html)) == {
        "Bénin : 1 jumelage, classe 1 sur 1",
        "Burkina Faso : 0 jumelage",
        "Cap-Vert : 0 jumelage",
        "Mali : 0 jumelage",
        "Sénégal : 1 jumelage, classe 1 sur 1",
    }

    html = index(client, atlas, f"?mesure=theme&theme={water.slug}").text
    assert "Sénégal : 2 projets en Eau et assainissement, classe 1 sur 1" in areas(html)
    assert "Bénin : 0 projet en Eau et assainissement" in areas(html)
    # The theme's column joins the table.
    assert table_rows(html)[-1] == ("Sénégal", "2", "2", "3", "1", "2", "1 sur 1")


@pytest.mark.parametrize(
    ("tri", "order"),
    [
        ("nom", ["Bénin", "Burkina Faso", "Cap-Vert", "Mali", "Sénégal"]),
        ("-nom", ["Sénégal", "Mali", "Cap-Vert", "Burkina Faso", "Bénin"]),
        # Ties by name, in French order.
        ("-projets", ["Sénégal", "Burkina Faso", "Bénin", "Cap-Vert", "Mali"]),
        ("projets", ["Mali", "Bénin", "Cap-Vert", "Burkina Faso", "Sénégal"]),
        ("-collectivites", ["Sénégal", "Bénin", "Burkina Faso", "Cap-Vert", "Mali"]),
        ("-partenaires", ["Sénégal", "Bénin", "Burkina Faso", "Cap-Vert", "Mali"]),
        ("-jumelages", ["Bénin", "Sénégal", "Burkina Faso", "Cap-Vert", "Mali"]),
    ],
)
def test_sort_orders(client, atlas, world, tri, order):
    response = index(client, atlas, f"?tri={tri}")
    assert response.status_code == 200
    assert [row[0] for row in table_rows(response.text)] == order


def test_names_sort_in_french_order_accents_ignored(client, atlas, world):
    # "Bénin" before "Burkina Faso", "Éthiopie" among the E (byte order would put them after "Z").
    PartnerAuthorityFactory(country=Country.objects.get(code="ET"))
    PartnerAuthorityFactory(country=Country.objects.get(code="EG"))
    PartnerAuthorityFactory(country=Country.objects.get(code="ZA"))
    names = [row[0] for row in table_rows(index(client, atlas).text)]
    assert names == sorted(names, key=lambda n: n.replace("É", "E").replace("é", "e"))
    assert names.index("Égypte") < names.index("Éthiopie") < names.index("Mali")


def test_sort_links_toggle_and_say_the_order(client, atlas, world):
    html = index(client, atlas, "?tri=-projets").text
    header = re.search(
        r'<th scope="col" aria-sort="descending"[^>]*>\s*'
        r'<a class="country-index__sort" href="([^"]+)">Projets',
        html,
    )
    assert header, "the sorted column says its order"
    assert unescape(header.group(1)) == "/atlas/pays/?mesure=projets&tri=projets"
    assert html.count("aria-sort=") == 1
    # Another column's link sorts its figures from the highest, keeping the measure.
    html = index(client, atlas, "?mesure=jumelages").text
    assert 'href="/atlas/pays/?mesure=jumelages&amp;tri=-collectivites"' in html


@pytest.mark.parametrize(
    "query",
    ["?tri=prix", "?mesure=budget", "?mesure=theme&theme=inconnue", "?mesure=theme&theme=", "?tri=<script>"],
)
def test_a_value_no_link_writes_is_a_french_400_showing_the_default(client, atlas, world, query):
    response = index(client, atlas, query)
    assert response.status_code == 400
    html = response.text
    assert "Certains filtres ne sont pas valides" in html
    assert "Sélectionnez un choix valide" in html or "Choisissez la thématique" in html
    # The page itself, with its defaults: every country, projects on the map.
    assert len(table_rows(html)) == 5
    assert "Sénégal : 3 projets, classe 3 sur 3" in areas(html)
    assert "<script>" not in html.split("<main")[1]
    # Never kept by the page cache.
    assert index(client, atlas, query)["X-Page-Cache"] == "bypass"


def test_a_theme_sort_without_the_theme_measure_falls_back_to_names(client, atlas, world):
    # The form keeps its order when the visitor switches from a theme to another measure.
    response = index(client, atlas, "?mesure=projets&tri=-theme")
    assert response.status_code == 200
    assert [row[0] for row in table_rows(response.text)][0] == "Bénin"


def test_no_outline_crosses_the_map_at_the_antimeridian():
    """Fiji and Chukotka straddle 180°: drawn naively, a line would run across the whole world."""
    paths, unknown = world_paths()
    for code, data in [*paths.items(), (None, unknown)]:
        for ring in data.split("M")[1:]:
            # Each ring: its start, then relative moves "dx dy": none as long as a third of the map.
            for move in re.findall(r"(-?\d+(?:\.\d+)?) -?\d+(?:\.\d+)?", ring.split("l", 1)[1]):
                assert abs(float(move)) < 300, code
    assert {"FJ", "RU"} <= paths.keys()


def test_classes_cover_every_value_once():
    for values in (
        [1, 1, 1, 1, 1, 1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 50, 400],
        list(range(1, 143)),
        [3, 3, 3],
        [1, 2],
        [5, 0, 0, 7, 9, 9, 9, 9, 9, 9, 9, 12, 13, 1000],
        [412] + [1] * 140,
    ):
        classes = quantile_classes(values)
        positive = [value for value in values if value > 0]
        assert len(classes) == min(5, len(set(positive)))
        assert sum(item.count for item in classes) == len(positive)
        for value in positive:
            assert sum(1 for item in classes if item.low <= value <= item.high) == 1
        assert class_of(0, classes) is None
        # Ranges in order, without overlap, the darkest hatching for the highest class.
        assert all(a.high < b.low for a, b in zip(classes, classes[1:], strict=False))
        assert classes[-1].level == 5


def test_quantile_classes_hold_about_as_many_countries():
    classes = quantile_classes(list(range(1, 101)))
    assert [(item.low, item.high, item.count) for item in classes] == [
        (1, 20, 20),
        (21, 40, 20),
        (41, 60, 20),
        (61, 80, 20),
        (81, 100, 20),
    ]


def test_the_index_in_english(client, atlas, world):
    response = client.get(f"/en{atlas.url}pays/")
    assert response.status_code == 200
    html = response.text
    # Names in English (pycountry's), sorted in that language: "Cabo Verde" where French says "Cap-Vert".
    assert [row[0] for row in table_rows(html)] == ["Benin", "Burkina Faso", "Cabo Verde", "Mali", "Senegal"]
    assert "Senegal: 3 projects, class 3 of 3" in areas(html)
    assert "Mali: 0 projects" in areas(html)


def test_linked_from_the_atlas_home_and_the_country_pages(client, atlas, world):
    assert 'href="/atlas/pays/"' in client.get(atlas.url).text
    country = client.get(f"{atlas.url}pays/senegal/").text
    breadcrumb = country.split('class="fr-breadcrumb"')[1].split("</nav>")[0]
    assert 'href="/atlas/pays/"' in breadcrumb
    assert "Pays partenaires" in breadcrumb


def test_description_canonical_and_sitemap(client, atlas, world):
    html = index(client, atlas, "?mesure=jumelages&tri=-nom").text
    assert '<link rel="canonical" href="http://testserver/atlas/pays/">' in html
    assert '<meta name="description" content="Les 5 pays partenaires' in html
    assert "<loc>http://localhost/atlas/pays/</loc>" in client.get("/sitemap.xml").text


def test_an_atlas_edit_shows_at_once(client, atlas, world):
    index(client, atlas)  # the site's first visit creates its settings (a change of every page)
    assert index(client, atlas)["X-Page-Cache"] == "miss"
    assert index(client, atlas)["X-Page-Cache"] == "hit"
    ProjectFactory(cooperation=CooperationFactory(partner=PartnerAuthorityFactory(country=world["ML"])))
    response = index(client, atlas)
    assert response["X-Page-Cache"] == "miss"
    assert "Mali : 1 projet, classe 1 sur 3" in areas(response.text)


# A warm request (figures cached per Atlas version) costs the same whatever the number of rows: the version
# and the page's frame only. As WARM_QUERIES in test_pages.py.
WARM_QUERIES = 2


@pytest.mark.parametrize("n", [2, 40])
def test_the_index_makes_a_constant_number_of_queries(client, atlas, water, django_assert_max_num_queries, n):
    codes = ["SN", "BF", "ML", "BJ", "NE", "TG", "MA", "TN", "VN", "HT"]
    for i in range(n):
        country = Country.objects.get(code=codes[i % len(codes)])
        ProjectFactory(
            cooperation=CooperationFactory(
                partner=PartnerAuthorityFactory(country=country), is_twinning=i % 3 == 0
            ),
            themes=[water],
        )
    for query in ("", "?mesure=theme&theme=eau-et-assainissement&tri=-theme"):
        for _ in range(2):
            assert index(client, atlas, query, **{"cache-control": "no-cache"}).status_code == 200
        with django_assert_max_num_queries(WARM_QUERIES, info=query):
            assert index(client, atlas, query, **{"cache-control": "no-cache"}).status_code == 200
    # A cold request: the figures in three queries more, whatever the rows.
    cache.clear()
    with django_assert_max_num_queries(WARM_QUERIES + 3 + 10):
        assert index(client, atlas, **{"cache-control": "no-cache"}).status_code == 200
