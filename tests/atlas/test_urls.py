"""One way to address the Atlas and Bourse sub-pages: atlas/urls_helper.py, atlas/bourse/links.py and their
template tags."""

import re
from pathlib import Path

import pytest

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from atlas.bourse.links import bourse_url
from atlas.bourse.models import BoursePage
from atlas.models import AtlasPage, Country
from atlas.urls_helper import atlas_url
from pages.models import GoodPracticeProject
from pages.translation import synchronise_trees
from portal.core.subpages import PLACEHOLDER
from tests.atlas.factories import (
    AuthorityFactory,
    BoursePageFactory,
    BourseProjectFactory,
    CooperationFactory,
    PartnerAuthorityFactory,
    ProjectFactory,
)
from tests.pages.factories import GoodPracticePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def french():
    """The helper follows the active language, which a request under /en/ leaves switched on in the test's
    thread: each test starts in French, as an unprefixed request does."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def bourse(home):
    return BoursePageFactory(parent=home, slug="bourse-projets")


@pytest.fixture
def records():
    partner = PartnerAuthorityFactory(country=Country.objects.get(code="BF"))
    project = ProjectFactory(cooperation=CooperationFactory(partner=partner))
    return {"project": project, "authority": project.cooperation.authority, "partner": partner}


def atlas_route_args(records):
    """The arguments of every Atlas route, by name: a new route fails the test until it is listed here."""
    return {
        "home": [],
        "authorities": [],
        "authority": [records["authority"].slug],
        "project": [records["project"].pk],
        "countries": [],
        "country": [records["partner"].country.slug],
        "partner": [records["partner"].pk],
        "search": [],
    }


def route_names(model):
    # index_route: RoutablePageMixin's own "" route, which the page's "" route shadows.
    return {pattern.name for pattern in model.get_subpage_urls()} - {"index_route"}


def test_every_atlas_route_resolves_through_the_helper_to_a_page(client, atlas, records):
    routes = atlas_route_args(records)
    assert set(routes) == route_names(AtlasPage)
    for name, args in routes.items():
        url = atlas_url(name, *args)
        assert url.startswith("/atlas/"), (name, url)
        assert url == atlas.url_for(name, *args)
        assert client.get(url).status_code == 200, url


def test_every_bourse_route_resolves_through_the_helper_to_a_page(client, bourse):
    project = BourseProjectFactory()
    routes = {"projects": [], "project": [project.pk], "contact": [project.pk]}
    assert set(routes) == route_names(BoursePage)
    for name, args in routes.items():
        url = bourse_url(name, *args)
        assert url.startswith("/bourse-projets/"), (name, url)
        assert client.get(url).status_code == 200, url


def test_english_addresses_keep_the_en_prefix(client, atlas, bourse, records):
    synchronise_trees()  # the English tree, as the demo and `manage.py sync_locale_trees` make it
    with translation.override("en"):
        url = atlas_url("authority", records["authority"].slug)
        project_url = bourse_url("project", BourseProjectFactory().pk)
    assert url == f"/en/atlas/collectivites/{records['authority'].slug}/"
    assert project_url.startswith("/en/bourse-projets/projets/")
    assert client.get(url).status_code == 200
    assert client.get(project_url).status_code == 200
    # The links of an English page stay in English.
    html = client.get(f"/en/atlas/projets/{records['project'].pk}/").text
    assert f'href="/en/atlas/partenaires/{records["partner"].pk}/"' in html
    assert f'href="/en/atlas/pays/{records["partner"].country.slug}/"' in html


def test_without_a_live_atlas_the_helper_gives_no_address(atlas, records):
    atlas.unpublish()
    assert atlas_url("authority", records["authority"].slug) == ""


def test_map_links_are_templates_from_the_helper(client, atlas, bourse, records):
    html = client.get(atlas_url("authority", records["authority"].slug)).text
    assert 'data-url-authority="/atlas/collectivites/{}/"' in html
    assert 'data-url-partner="/atlas/partenaires/{}/"' in html
    BourseProjectFactory()
    html = client.get(bourse.url).text
    assert 'data-url-partner="/bourse-projets/projets/{}/"' in html
    assert atlas_url("partner", PLACEHOLDER) == "/atlas/partenaires/{}/"


def test_a_placeholder_never_leaks_into_a_real_link(client, atlas, records):
    html = client.get(atlas.url_for("partner", records["partner"].pk)).text
    assert re.findall(r'href="[^"]*\{\}', html) == []


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_links_to_the_atlas_cost_no_query_each(client, home, atlas, django_assert_max_num_queries):
    """A good practice naming 1 or 8 authorities and projects reads the same number of rows: the Atlas page
    is looked up once per request, whatever the number of links."""
    counts = []
    for n in (1, 8):
        practice = GoodPracticePageFactory(parent=home, slug=f"pratique-{n}")
        projects = [ProjectFactory() for _ in range(n)]
        practice.authorities.set([project.cooperation.authority for project in projects])
        for project in projects:
            GoodPracticeProject.objects.create(page=practice, project=project)
        practice.save_revision().publish()
        client.get(practice.url)  # warm the caches
        html = client.get(practice.url).text
        for project in projects:
            assert f'href="/atlas/projets/{project.pk}/"' in html
            assert f'href="/atlas/collectivites/{project.cooperation.authority.slug}/"' in html
        counts.append(count_queries(client, practice.url))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[0]):
        client.get(practice.url)


def test_authority_suggestions_and_redirect_use_the_routes(client, atlas):
    authority = AuthorityFactory(name="Ville de Nulle-Part")
    data = client.get(atlas_url("authorities"), {"q": "Nulle", "format": "json"}).json()
    assert data["results"][0]["url"] == f"/atlas/collectivites/{authority.slug}/"
    response = client.get(atlas_url("authorities"), {"q": "Ville de Nulle-Part"})
    assert response["Location"] == f"/atlas/collectivites/{authority.slug}/"


# What a hand-built sub-page address looks like: a page's address glued to a route's path.
ROUTE = r"(collectivites|projets|pays|partenaires|recherche)"
HAND_BUILT = [
    re.compile(r"\burl ?\}\}" + ROUTE + "/"),  # {{ page.url }}collectivites/
    re.compile(r"\|add:[\"']" + ROUTE + "/"),  # page.url|add:"pays/"
    re.compile(r"[\"']/(en/)?(atlas|bourse-projets)/"),  # "/atlas/..."
    re.compile(r"\burl\b[^\n]{0,40}\+ ?[\"']" + ROUTE + "/"),  # atlas.url + "projets/"
    re.compile(r"\}" + ROUTE + r"/\{"),  # f"{base}projets/{pk}/"
]
SOURCES = ["templates", "atlas", "pages", "tourism", "search", "portal"]


def source_files():
    base = Path(settings.BASE_DIR)
    for folder in SOURCES:
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in {".html", ".txt", ".py"} and "migrations" not in path.parts:
                yield path


def test_no_hand_built_sub_page_address_in_templates_or_code():
    offenders = []
    for path in source_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if any(pattern.search(line) for pattern in HAND_BUILT):
                offenders.append(f"{path}:{number}: {line.strip()[:120]}")
    assert offenders == []


def test_the_hand_built_address_check_catches_the_old_forms():
    old = [
        '<a href="{{ page.url }}collectivites/{{ a.slug }}/">',
        'alternative_url=atlas.url|add:"pays/"|add:slug',
        'url = "/atlas/recherche/"',
        'url = atlas.url + "projets/"',
        '"url": f"{base_url}projets/{project.pk}/"',
    ]
    assert all(any(pattern.search(line) for pattern in HAND_BUILT) for line in old)
