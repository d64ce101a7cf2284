import datetime

import pytest

from django.apps import apps
from django.core.cache import cache

from atlas.models import Country, Theme
from pages.models import first_of_month
from pages.workflow import ensure_editorial_workflow
from tests.pages.factories import (
    CountryZoomPageFactory,
    GoodPracticePageFactory,
    RubricPageFactory,
    TestimonyPageFactory,
)


@pytest.fixture
def rubric(home):
    cache.clear()
    page = RubricPageFactory(parent=home, slug="rubrique")
    ensure_editorial_workflow(apps, page.pk)
    return page


@pytest.fixture
def months():
    this_month = first_of_month()
    return this_month, first_of_month(this_month - datetime.timedelta(days=1))


@pytest.fixture
def features(rubric, months):
    """Three features this month (one per kind), two last month: Senegal, Morocco and the water theme."""
    this_month, last_month = months
    senegal, morocco = Country.objects.get(code="SN"), Country.objects.get(code="MA")
    water = Theme.objects.first()
    testimony = TestimonyPageFactory(parent=rubric, slug="temoignage", month=this_month, country=senegal)
    zoom = CountryZoomPageFactory(parent=rubric, slug="zoom", month=this_month, country=senegal)
    practice = GoodPracticePageFactory(parent=rubric, slug="pratique", month=this_month, country=morocco)
    practice.themes.add(water)
    practice.save()
    old_zoom = CountryZoomPageFactory(
        parent=rubric, slug="zoom-maroc", title="Zoom sur le Maroc", month=last_month, country=morocco
    )
    old_practice = GoodPracticePageFactory(parent=rubric, slug="ancienne", month=last_month)
    old_practice.themes.add(water)
    old_practice.save()
    return {
        "testimony": testimony,
        "zoom": zoom,
        "practice": practice,
        "old_zoom": old_zoom,
        "old_practice": old_practice,
        "water": water,
    }
