"""The Atlas trends in a browser: the charts of the Atlas home and of a country page are drawn without
script, pass axe, break no Content-Security-Policy rule (the console guard of conftest.py fails a test on any
violation), and their tables open from the figure."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from django.utils import timezone

from atlas.aid.models import AidWindow
from atlas.models import Country, Theme
from tests.atlas.factories import (
    AidDeclarationFactory,
    AidLineFactory,
    AtlasPageFactory,
    CooperationFactory,
    PartnerAuthorityFactory,
    ProjectFactory,
)
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def trends_data(home):
    atlas = AtlasPageFactory(parent=home, slug="atlas", title="Atlas de la coopération décentralisée")
    themes = list(Theme.objects.order_by("pk")[:7])
    countries = [Country.objects.get(code=code) for code in ("SN", "VN", "BR", "DE")]
    partners = [PartnerAuthorityFactory(country=country) for country in countries]
    for index in range(40):
        ProjectFactory(
            cooperation=CooperationFactory(partner=partners[index % len(partners)]),
            start_year=2010 + (index * 7) % 15,
            themes=[themes[index % len(themes)], themes[(index * 3) % len(themes)]],
        )
    now = timezone.now()
    AidWindow.objects.create(year=2023, opens_at=now - timedelta(days=90), closes_at=now - timedelta(days=30))
    for year, amount in ((2021, 120_000), (2022, 45_000), (2023, 1_250_000)):
        AidLineFactory(declaration=AidDeclarationFactory(year=year), country=countries[0], amount=amount)
    return atlas, countries[0]


def check_charts(page, ids):
    for chart_id in ids:
        svg = page.locator(f'svg[role="img"][aria-labelledby="{chart_id}-title"]')
        expect(svg).to_be_visible()
        figure = page.locator("figure.portal-chart", has=svg)
        table = figure.locator("table")
        expect(table).to_be_hidden()
        figure.locator("summary").click()
        expect(table).to_be_visible()
    assert_accessible(page)


def test_the_atlas_home_draws_its_trends_accessibly(page, live_server, trends_data):
    atlas, _senegal = trends_data
    page.goto(live_server.url + atlas.url)
    check_charts(page, ["trend-themes", "trend-continents", "trend-aid"])


def test_a_country_page_draws_its_trends_accessibly(page, live_server, trends_data):
    atlas, senegal = trends_data
    page.goto(f"{live_server.url}{atlas.url}pays/{senegal.slug}/")
    check_charts(page, ["trend-themes", f"trend-aid-{senegal.pk}"])
