"""Lists sorted by name follow French order on SQLite and on PostgreSQL (DATABASE_URL): accents and case
do not send a name to the end of the list."""

import re

import pytest

from atlas.models import Authority, Country, Theme
from portal.accounts.models import Organisation
from portal.core.collation import french_sorted
from portal.core.territories import REGION_CHOICES
from tests.atlas.factories import (
    AtlasPageFactory,
    AuthorityFactory,
    CooperationFactory,
    PartnerAuthorityFactory,
    ProjectFactory,
)
from tourism.models import TourismTheme

pytestmark = pytest.mark.django_db


def before(names, first, second):
    return names.index(first) < names.index(second)


def test_countries_in_french_order():
    names = list(Country.objects.values_list("name", flat=True))
    assert before(names, "Bénin", "Burkina Faso")
    assert before(names, "Danemark", "Égypte")
    assert before(names, "Égypte", "Finlande")
    assert before(names, "Espagne", "Estonie")
    assert before(names, "Érythrée", "Espagne")
    assert names == french_sorted(names)


def test_themes_in_french_order():
    names = list(Theme.objects.values_list("name", flat=True))
    assert before(names, "Eau et assainissement", "Éducation")
    assert before(names, "Éducation", "Environnement et climat")
    assert before(names, "Éducation", "Gouvernance locale")


def test_authorities_and_partners_in_french_order():
    for name in ["Isère", "Île-de-France", "Hérault", "ville de Lyon", "Ille-et-Vilaine", "Jura"]:
        AuthorityFactory(name=name)
    names = list(Authority.objects.filter(pk__isnull=False).values_list("name", flat=True))
    assert names == ["Hérault", "Île-de-France", "Ille-et-Vilaine", "Isère", "Jura", "ville de Lyon"]
    togo = Country.objects.get(code="TG")
    for name in ["Sokodé", "Atakpamé", "Écrou", "Dapaong"]:
        PartnerAuthorityFactory(name=name, country=togo)
    assert list(togo.partners.values_list("name", flat=True)) == ["Atakpamé", "Dapaong", "Écrou", "Sokodé"]


def test_other_lists_sorted_by_name():
    for name in ["Zonta", "Éco-tourisme urbain", "Art"]:
        TourismTheme.objects.create(name=name)
    themes = list(TourismTheme.objects.values_list("name", flat=True))
    assert before(themes, "Art", "Éco-tourisme urbain")
    assert before(themes, "Éco-tourisme urbain", "Zonta")
    for name in ["Ambassade de France au Bénin", "Élysée", "Ministère"]:
        Organisation.objects.create(name=name, kind=Organisation.Kind.MINISTRY)
    organisations = list(Organisation.objects.values_list("name", flat=True))
    assert before(organisations, "Élysée", "Ministère")


def test_region_choices_in_french_order():
    labels = [label for _code, label in REGION_CHOICES]
    assert before(labels, "Hauts-de-France", "Île-de-France")
    assert before(labels, "Île-de-France", "La Réunion")


def options(html, name):
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def test_atlas_search_choices_and_sort_in_french_order(client, home):
    AtlasPageFactory(parent=home, slug="atlas")
    for code in ["BF", "BJ", "EG", "DK"]:
        ProjectFactory(
            cooperation=CooperationFactory(
                partner=PartnerAuthorityFactory(country=Country.objects.get(code=code))
            )
        )
    for title in ["Zéro déchet", "École numérique", "Forages", "eau potable"]:
        ProjectFactory(title=title)
    html = client.get("/atlas/recherche/").text
    countries = [
        label
        for label in options(html, "country")
        if label in {"Bénin", "Burkina Faso", "Égypte", "Danemark"}
    ]
    assert countries == ["Bénin", "Burkina Faso", "Danemark", "Égypte"]
    regions = options(html, "region")
    assert before(regions, "Hauts-de-France", "Île-de-France")
    response = client.get("/atlas/recherche/", {"sort": "title", "q": ""})
    titles = [
        p.title
        for p in response.context["page_obj"]
        if p.title in {"Zéro déchet", "École numérique", "Forages", "eau potable"}
    ]
    assert titles == ["eau potable", "École numérique", "Forages", "Zéro déchet"]


def test_filter_forms_offer_named_empty_choices(client, home):
    """Every filter list of the public pages starts with what choosing nothing means ("Tous les pays"),
    never Django's "---------"."""
    from tests.atlas.factories import BoursePageFactory
    from tests.pages.factories import RubricPageFactory
    from tests.tourism.factories import (
        EventIndexPageFactory,
        ExperienceIndexPageFactory,
        ResourceIndexPageFactory,
        TourismHomePageFactory,
    )

    atlas = AtlasPageFactory(parent=home, slug="atlas")
    bourse = BoursePageFactory(parent=home, slug="bourse")
    rubric = RubricPageFactory(parent=home, slug="rubrique")
    tourism = TourismHomePageFactory(parent=home, slug="tourisme")
    indexes = [
        factory(parent=tourism, slug=slug)
        for factory, slug in [
            (ExperienceIndexPageFactory, "experiences"),
            (ResourceIndexPageFactory, "ressources"),
            (EventIndexPageFactory, "evenements"),
        ]
    ]
    atlas_html = client.get(atlas.url + "recherche/").text
    for name, first in [
        ("country", "Tous les pays"),
        ("region", "Toutes les régions"),
        ("departement", "Tous les départements"),
        ("continent", "Tous les continents"),
        ("authority_kind", "Tous les types de collectivité"),
        ("framework", "Tous les cadres de financement"),
    ]:
        assert options(atlas_html, name)[0] == first, name
    bourse_html = client.get(bourse.url).text
    assert options(bourse_html, "country")[0] == "Tous les pays"
    assert options(bourse_html, "continent")[0] == "Tous les continents"
    for page in [atlas, bourse, rubric, *indexes]:
        response = client.get(page.url + ("recherche/" if page == atlas else ""))
        assert response.status_code == 200, page.url
        assert "---------" not in response.text, page.url
