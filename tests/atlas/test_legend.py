"""One colour legend for the web maps, the PDF map and the captions; captions promise only the lists a page
has; without JavaScript a map says so and points to the same information as text."""

import json
import re
from html import unescape

import pytest

from django.conf import settings
from django.template.loader import render_to_string

from atlas.exports.pdf import map_svg
from atlas.models import Country
from portal.core.map_legend import MARKERS, TIES
from tests.atlas.factories import (
    AuthorityFactory,
    BoursePageFactory,
    BourseProjectFactory,
    CooperationFactory,
    PartnerAuthorityFactory,
    ProjectFactory,
)

HEX = re.compile(r"#[0-9a-fA-F]{6}\b")


@pytest.fixture
def project(atlas):
    return ProjectFactory(
        title="Forages à Kaya",
        cooperation=CooperationFactory(
            authority=AuthorityFactory(name="Ville de Besançon"),
            partner=PartnerAuthorityFactory(name="Kaya", country=Country.objects.get(code="BF")),
        ),
    )


def figures(html):
    """The page's maps (its charts are figures too: portal/core/charts.py)."""
    return [figure for figure in re.findall(r"<figure.*?</figure>", html, re.S) if "data-map=" in figure]


def map_config(figure):
    return json.loads(unescape(re.search(r'data-map="([^"]*)"', figure).group(1)))


def swatches(figure):
    """(colour, words) of each legend entry of a caption."""
    caption = re.search(r"<figcaption.*?</figcaption>", figure, re.S).group(0)
    return [
        (HEX.findall(item)[0].lower(), re.sub(r"<[^>]+>", "", item).strip())
        for item in re.findall(r"<li[^>]*>(.*?)</li>", caption, re.S)
    ]


def test_web_maps_pdf_and_captions_use_the_same_colours(client, atlas, project):
    html = client.get(f"/atlas/collectivites/{project.cooperation.authority.slug}/").text
    [figure] = figures(html)
    legend = map_config(figure)["legend"]
    assert legend["markers"]["authority"]["fill"] == MARKERS["authority"]["fill"]
    assert legend["markers"]["partner"]["fill"] == MARKERS["partner"]["fill"]
    assert legend["ties"]["external_action"]["stroke"] == TIES["external_action"]["stroke"]
    # The caption: blue for the French authorities, red for the partners, and the two kinds of tie drawn.
    assert swatches(figure) == [
        (MARKERS["authority"]["fill"], "Collectivité française"),
        (MARKERS["partner"]["fill"], "Collectivité partenaire"),
        (TIES["cooperation"]["stroke"], "Coopération décentralisée"),
        (TIES["external_action"]["stroke"], "Autre action extérieure"),
    ]
    # The PDF's dots: the French authority in the authorities' colour, the partner in the partners'.
    svg = map_svg([(13.09, -1.08)], [(47.24, 6.02)])
    groups = re.findall(r'<g fill="(#[0-9a-f]{6})"[^>]*>((?:<circle[^>]*/>)*)</g>', svg)
    assert groups == [
        (MARKERS["authority"]["fill"], groups[0][1]),
        (MARKERS["partner"]["fill"], groups[1][1]),
    ]
    assert all(group.count("<circle") == 1 for _fill, group in groups)
    pdf_html = render_to_string(
        "atlas/pdf/projects.html",
        {"title": "t", "filters": [], "projects": [], "count": 0, "map": svg},
    )
    pdf_legend = swatches(f"<figcaption>{pdf_html}</figcaption>")
    assert pdf_legend == swatches(figure)[:2]


def test_the_map_script_has_no_colour_of_its_own():
    script = (settings.BASE_DIR / "static" / "atlas" / "js" / "atlas-map.js").read_text()
    legend_colours = {m["fill"] for m in MARKERS.values()} | {m["stroke"] for m in MARKERS.values()}
    legend_colours |= {t["stroke"] for t in TIES.values()}
    assert not {colour.lower() for colour in HEX.findall(script)} & legend_colours
    assert "config.legend" in script


def test_every_atlas_map_works_without_javascript_and_points_to_text(client, atlas, project, home):
    bourse = BoursePageFactory(parent=home, slug="bourse")
    bourse_project = BourseProjectFactory()
    authority = project.cooperation.authority
    pages = {
        "/atlas/": "/atlas/recherche/",
        "/atlas/recherche/": None,
        f"/atlas/collectivites/{authority.slug}/": None,
        f"/atlas/projets/{project.pk}/": None,
        f"/atlas/partenaires/{project.cooperation.partner.pk}/": None,
        "/atlas/pays/burkina-faso/": None,
        bourse.url: None,
        f"{bourse.url}projets/{bourse_project.pk}/": None,
    }
    for url, link in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        found = figures(response.text)
        assert found, url
        for figure in found:
            # The empty map box waits for the script; the message is there until the script hides it.
            assert re.search(r'class="portal-map[^"]*"[^>]*\bhidden\b', figure), url
            fallback = re.search(r"<p[^>]*data-map-fallback[^>]*>(.*?)</p>", figure, re.S).group(1)
            assert "La carte a besoin de JavaScript" in fallback, url
            # ...and says where the same information is, as text.
            assert len(re.sub(r"<[^>]+>", "", fallback)) > 70, url
            if link:
                assert f'href="{link}"' in fallback, url


def test_no_caption_promises_lists_the_page_does_not_have(client, atlas, project):
    html = client.get("/atlas/").text
    [figure] = figures(html)
    caption = re.search(r"<figcaption.*?</figcaption>", figure, re.S).group(0)
    # The Atlas home has no list of authorities or partners: its caption sends to the search instead.
    assert "sur cette page" not in caption
    assert "ci-dessous" not in caption
    assert 'href="/atlas/recherche/"' in caption
    search = figures(client.get("/atlas/recherche/").text)[0]
    assert "La liste des résultats ci-dessous" in search
