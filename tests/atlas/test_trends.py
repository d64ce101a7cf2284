"""The Atlas trends (atlas/trends.py, portal/core/charts.py): the projects started per year by theme and by
continent on the Atlas home, by theme on each country page; the figures match the records, the description
says the trend, the table gives every figure, an empty window says so, and an Atlas edit shows at once."""

import re

from bs4 import BeautifulSoup

from django.utils import timezone

from atlas.exports.pdf import render_projects_document
from atlas.filters import project_queryset
from atlas.models import Country
from atlas.trends import WINDOW
from portal.core import charts
from tests.atlas.factories import (
    CooperationFactory,
    PartnerAuthorityFactory,
    ProjectFactory,
    ThemeFactory,
)
from tests.chart_checks import chart_of, either

NNBSP = "\u202f"


def project(year, country="SN", themes=()):
    partner = PartnerAuthorityFactory(country=Country.objects.get(code=country))
    return ProjectFactory(
        cooperation=CooperationFactory(partner=partner), start_year=year, themes=list(themes)
    )


def test_the_home_charts_count_the_projects_started_per_year_by_theme(client, atlas):
    water, health, school = ThemeFactory(name="Eau"), ThemeFactory(name="Soins"), ThemeFactory(name="École")
    for _ in range(3):
        project(2019, themes=[water])
    project(2019, themes=[health])
    project(2020, themes=[water, health])  # once, under water: the more frequent theme
    project(2020, themes=[school])
    project(2021)  # no theme: "Others"
    html = client.get(atlas.url).text
    chart = chart_of(html, "trend-themes")
    assert chart["svg"]["role"] == "img"
    assert chart["svg"]["aria-describedby"] == "trend-themes-desc"
    assert chart["head"][1:4] == ["Eau", "Soins", "École"]
    assert chart["head"][-1] == "Total"
    # Eau, Santé, École, Others, Total
    assert chart["rows"]["2019"] == ["3", "1", "0", "0", "4"]
    assert chart["rows"]["2020"] == ["1", "0", "1", "0", "2"]
    assert chart["rows"]["2021"] == ["0", "0", "0", "1", "1"]
    # The window: the WINDOW years up to the last start year.
    assert list(chart["rows"]) == [str(year) for year in range(2021 - WINDOW + 1, 2022)]
    assert chart["desc"].startswith(
        tuple(
            either(
                "De 2007 à 2021, 7 projets ont commencé ; le pic est en 2019 avec 4.",
                "From 2007 to 2021, 7 projects started; the peak is in 2019 with 4.",
            )
        )
    )
    assert "Eau" in chart["desc"]
    # Direct cues beside colour: each theme's swatch has its own pattern, named in the legend.
    legend = [item.get_text(strip=True) for item in chart["figure"].select(".portal-chart__legend li")]
    assert legend[:3] == ["Eau", "Soins", "École"]
    patterns = chart["svg"].find_all("pattern")
    assert len({pattern.find("path")["d"] if pattern.find("path") else "" for pattern in patterns}) == len(
        patterns
    )


def test_the_top_five_themes_stay_apart_and_the_rest_are_others(client, atlas):
    themes = [ThemeFactory(name=f"Thème {letter}") for letter in "ABCDEFG"]
    for index, theme in enumerate(themes):
        for _ in range(len(themes) - index):  # A: 7 projects … G: 1
            project(2022, themes=[theme])
    chart = chart_of(client.get(atlas.url).text, "trend-themes")
    assert chart["head"] == ["Année", "Thème A", "Thème B", "Thème C", "Thème D", "Thème E"] + [
        chart["head"][6],
        "Total",
    ] or chart["head"][1:6] == ["Thème A", "Thème B", "Thème C", "Thème D", "Thème E"]
    assert chart["head"][6] in {"Autres", "Others"}
    assert chart["rows"]["2022"] == ["7", "6", "5", "4", "3", "3", "28"]  # F (2) + G (1) are "Others"


def test_the_continent_chart_draws_a_line_per_continent_with_its_name(client, atlas):
    project(2018, country="SN")
    project(2018, country="BF")
    project(2019, country="VN")
    chart = chart_of(client.get(atlas.url).text, "trend-continents")
    assert chart["head"][1] in {"Afrique", "Africa"}
    assert chart["head"][2] in {"Asie", "Asia"}
    assert chart["rows"]["2018"] == ["2", "0", "2"]
    assert chart["rows"]["2019"] == ["0", "1", "1"]
    # Each line has its own dash or marker, and its name at its end.
    lines = chart["svg"].find_all("polyline")
    assert len(lines) == 2
    assert lines[0].get("stroke-dasharray") != lines[1].get("stroke-dasharray")
    labels = [text.get_text() for text in chart["svg"].find_all("text")]
    assert any(label.startswith(("Afrique", "Africa")) for label in labels)
    assert chart["desc"].endswith(
        tuple(either("Afrique en compte le plus, avec 2.", "Africa has the most, with 2."))
    )


def test_years_out_of_the_window_and_in_the_future_are_left_out(client, atlas):
    this_year = timezone.localdate().year
    project(this_year - 1)
    project(this_year + 2)  # planned: not started yet
    project(this_year - 1 - WINDOW)  # one year before the window
    chart = chart_of(client.get(atlas.url).text, "trend-themes")
    assert list(chart["rows"])[0] == str(this_year - WINDOW)
    assert list(chart["rows"])[-1] == str(this_year - 1)
    assert sum(int(row[-1]) for row in chart["rows"].values()) == 1


def test_the_numbers_are_written_the_french_way(client, atlas):
    chart = charts.bars(
        id="t",
        title="t",
        desc="d",
        caption="c",
        categories=[2020],
        values=[12476],
        label="Projets",
    )
    assert chart.table_rows[0]["cells"] == [f"12{NNBSP}476"]
    assert chart.bars[0]["label"] == f"12{NNBSP}476"


def test_the_country_page_charts_its_own_projects_by_theme(client, atlas):
    water = ThemeFactory(name="Eau")
    project(2020, country="SN", themes=[water])
    project(2020, country="SN", themes=[water])
    project(2021, country="BF", themes=[water])  # another country
    senegal = Country.objects.get(code="SN")
    html = client.get(f"{atlas.url}pays/{senegal.slug}/").text
    chart = chart_of(html, "trend-themes")
    assert senegal.name in chart["title"]
    assert chart["rows"]["2020"] == ["2", "2"] or chart["rows"]["2020"] == ["2"]
    assert list(chart["rows"])[-1] == "2020"
    assert 'aria-labelledby="trend-continents-title"' not in html  # the continent is the country's


def test_no_project_in_the_window_says_so(client, atlas):
    html = client.get(atlas.url).text
    soup = BeautifulSoup(html, "html.parser")
    section = soup.find("section", class_="atlas-trends")
    assert section.find("svg", attrs={"role": "img"}) is None
    this_year = timezone.localdate().year
    texts = [p.get_text() for p in section.select(".portal-chart__empty")]
    assert texts[0] in either(
        f"Aucun projet de l’Atlas n’a commencé de {this_year - WINDOW + 1} à {this_year}.",
        f"No project of the Atlas started from {this_year - WINDOW + 1} to {this_year}.",
    )


def test_an_atlas_edit_shows_at_once_in_the_cached_page(client, atlas):
    project(2020)
    # The first visit of a new site creates its settings (a change): the second is the one kept.
    for _ in range(2):
        client.get(atlas.url)
    again = client.get(atlas.url)
    assert again.headers.get("X-Page-Cache") == "hit"
    assert chart_of(again.text, "trend-themes")["rows"]["2020"][-1] == "1"
    project(2020)
    second = client.get(atlas.url)
    assert second.headers.get("X-Page-Cache") != "hit"
    assert chart_of(second.text, "trend-themes")["rows"]["2020"][-1] == "2"


def test_the_charts_keep_the_strict_csp(client, atlas):
    """No style attribute nor <style> element, no script: colours are SVG attributes."""
    project(2020, themes=[ThemeFactory()])
    html = client.get(atlas.url).text
    section = str(BeautifulSoup(html, "html.parser").find("section", class_="atlas-trends"))
    assert not re.search(r"\sstyle=", section)
    assert "<style" not in section
    assert "<script" not in section
    # Coordinates keep a dot whatever the language writes numbers with.
    assert not re.search(r'(?:x|y|width|height)="\d+,\d', section)


def test_the_pdf_export_draws_the_trend_of_its_projects(db):
    water = ThemeFactory(name="Eau")
    project(2019, themes=[water])
    project(2020, themes=[water])
    project(2020)
    document = render_projects_document(project_queryset(), [], "Atlas")
    boxes = [box for page in document.pages for box in page._page_box.descendants()]
    text = " ".join(box.text for box in boxes if isinstance(getattr(box, "text", None), str))
    assert any(
        sentence in text
        for sentence in either(
            "De 2006 à 2020, 3 projets ont commencé ; le pic est en 2020 avec 2.",
            "From 2006 to 2020, 3 projects started; the peak is in 2020 with 2.",
        )
    )
    # The chart itself, an SVG image WeasyPrint draws (besides the map's).
    images = [box for box in boxes if type(getattr(box, "replacement", None)).__name__ == "SVGImage"]
    assert len(images) >= 2
