# ruff: noqa: F811 (the `world` fixture is imported)
"""The development aid declared per year, beside the Atlas trends: national on the Atlas home, per recipient
country on each country page; filed declarations only, years whose window has closed only, at once after a
filing."""

from datetime import timedelta

from django.utils import timezone

from atlas.aid.models import AidDeclaration, AidWindow
from atlas.models import Country
from tests.aid.national_world import YEAR, world  # noqa: F401
from tests.chart_checks import chart_of, either

NNBSP = "\u202f"


def close_window(world):
    world.window.opens_at = timezone.now() - timedelta(days=60)
    world.window.closes_at = timezone.now() - timedelta(days=30)
    world.window.save()


def country_page(client, atlas, code):
    return client.get(f"{atlas.url}pays/{Country.objects.get(code=code).slug}/").text


def test_the_home_charts_the_national_aid_declared_per_year(client, atlas, world):
    close_window(world)
    chart = chart_of(client.get(atlas.url).text, "trend-aid")
    assert chart["svg"]["role"] == "img"
    # Filed only: the draft's 999 999 euros never count; from the first year declared to the last closed.
    assert chart["rows"] == {str(YEAR - 1): [f"7{NNBSP}000"], str(YEAR): [f"35{NNBSP}000"]}
    assert chart["desc"] in either(
        f"De {YEAR - 1} à {YEAR}, 42{NNBSP}000 euros d’aide au développement déclarés ; l’année la plus "
        f"haute est {YEAR} avec 35{NNBSP}000 euros.",
        f"From {YEAR - 1} to {YEAR}, 42{NNBSP}000 euros of development aid declared; the highest year is "
        f"{YEAR} with 35{NNBSP}000 euros.",
    )
    assert f"35{NNBSP}k€" in chart["svg"].get_text()  # the bar's label


def test_a_year_whose_window_is_still_open_is_not_charted(client, atlas, world):
    now = timezone.now()
    AidWindow.objects.create(
        year=YEAR - 1, opens_at=now - timedelta(days=400), closes_at=now - timedelta(days=350)
    )
    chart = chart_of(client.get(atlas.url).text, "trend-aid")
    assert list(chart["rows"]) == [str(YEAR - 1)]  # the 2024 window is open: its total is not complete


def test_each_country_page_charts_the_aid_declared_to_it(client, atlas, world):
    close_window(world)
    senegal = Country.objects.get(code="SN")
    chart = chart_of(country_page(client, atlas, "SN"), f"trend-aid-{senegal.pk}")
    assert senegal.name in chart["title"]
    assert chart["rows"] == {str(YEAR): [f"20{NNBSP}000"]}
    burkina = Country.objects.get(code="BF")
    chart = chart_of(country_page(client, atlas, "BF"), f"trend-aid-{burkina.pk}")
    assert chart["rows"] == {str(YEAR - 1): [f"7{NNBSP}000"], str(YEAR): [f"10{NNBSP}000"]}


def test_a_country_without_aid_says_so(client, atlas, world):
    close_window(world)
    html = country_page(client, atlas, "ML")
    assert any(
        sentence in html
        for sentence in either(
            f"Aucune aide au développement déclarée de {YEAR - 14} à {YEAR}.",
            f"No development aid declared from {YEAR - 14} to {YEAR}.",
        )
    )


def test_a_filing_shows_at_once_on_the_country_page(client, atlas, world):
    close_window(world)
    senegal = Country.objects.get(code="SN")
    assert chart_of(country_page(client, atlas, "SN"), f"trend-aid-{senegal.pk}")["rows"][str(YEAR)] == [
        f"20{NNBSP}000"
    ]
    declaration = AidDeclaration.objects.get(authority=world.drafty)
    declaration.status, declaration.filed_at = AidDeclaration.Status.FILED, timezone.now()
    declaration.save()
    rows = chart_of(country_page(client, atlas, "SN"), f"trend-aid-{senegal.pk}")["rows"]
    assert rows[str(YEAR)] == [f"1{NNBSP}019{NNBSP}999"]


def test_no_published_year_leaves_no_aid_chart(client, atlas, db):
    assert 'aria-labelledby="trend-aid-title"' not in client.get(atlas.url).text
