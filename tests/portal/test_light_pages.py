"""Light pages (issue 14): only the DSFR the portal uses, the world basemap at the zoom's resolution,
hashed and compressed static files, and a meta description of its own on every public page."""

import importlib.util
import json
import re
from html import unescape
from html.parser import HTMLParser

import pytest
from whitenoise.middleware import WhiteNoiseMiddleware

from django.conf import settings
from django.core.management import call_command
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import RequestFactory

from atlas.bourse.models import BoursePage
from atlas.models import AtlasPage, Authority
from pages.models import TestimonyPage
from tourism.models import ExperiencePage

ROOT = settings.BASE_DIR
BUNDLE = ROOT / "static" / "vendor" / "dsfr" / "dsfr-portal.css"


def load_builder():
    spec = importlib.util.spec_from_file_location("build_dsfr_css", ROOT / "scripts" / "build_dsfr_css.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the DSFR subset --------------------------------------------------------------------------------


def test_every_dsfr_class_the_portal_uses_is_styled_by_the_bundle():
    """A template, Python module or script that starts using a DSFR component or icon the bundle lacks
    fails here until `make assets` rebuilds the bundle (or the builder learns to find it)."""
    builder = load_builder()
    assert BUNDLE.exists(), "static/vendor/dsfr/dsfr-portal.css is missing: run `make assets`"
    styled = builder.defined_classes(BUNDLE.read_text(encoding="utf-8"))
    missing = (builder.used_classes() & builder.full_dsfr_classes()) - styled
    assert not missing, f"DSFR classes used but not in the bundle (run `make assets`): {sorted(missing)}"


def test_the_check_notices_a_component_or_icon_left_out():
    builder = load_builder()
    used = builder.used_classes()
    css, names = builder.build(used)
    styled = builder.defined_classes(css)
    for newcomer in ("fr-accordion__btn", "fr-icon-ancient-gate-fill", "fr-mt-11v"):
        assert newcomer not in used
        assert newcomer in builder.full_dsfr_classes()
        assert newcomer not in styled
        richer = builder.defined_classes(builder.build(used | {newcomer})[0])
        assert newcomer in richer


def test_the_bundle_is_a_fraction_of_the_whole_dsfr():
    builder = load_builder()
    dist = builder.dist_dir()
    whole = sum((dist / name).stat().st_size for name in ("dsfr/dsfr.min.css", "utility/utility.min.css"))
    assert BUNDLE.stat().st_size < whole / 2.5
    # Fonts and icons point at django-dsfr's own files, which collectstatic gathers.
    for url in re.findall(r"url\(([^)\"']+)\)", BUNDLE.read_text(encoding="utf-8")):
        target = (BUNDLE.parent / url).resolve()
        relative = target.relative_to((ROOT / "static").resolve())
        assert (builder.dsfr_package_dir() / "static" / relative).exists(), url


def test_pages_link_the_bundle_not_the_whole_dsfr(demo_site, client):
    html = client.get("/").content.decode()
    assert "vendor/dsfr/dsfr-portal.css" in html
    assert "dsfr.min.css" not in html
    assert "utility.min.css" not in html
    # The DSFR's script stays whole, as a module (deferred by nature).
    assert re.search(r'<script type="module"\s+src="[^"]*dsfr\.module\.min\.js"', html)


# --- meta descriptions ------------------------------------------------------------------------------


class HeadReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.descriptions, self.canonicals, self.title, self._in_title = [], [], "", False
        self.lang = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "meta" and attrs.get("name") == "description":
            self.descriptions.append(attrs.get("content", ""))
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonicals.append(attrs.get("href", ""))
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def seven_pages():
    """The pages Lighthouse measures in CI (scripts/lighthouse.sh)."""
    atlas = AtlasPage.objects.live().get(locale__language_code="fr")
    authority = Authority.objects.get(name="Bessancourt")
    return {
        "home": "/",
        "atlas": atlas.url,
        "authority": atlas.url_for("authority", authority.slug),
        "search": atlas.url_for("search") + "?q=eau",
        "bourse": BoursePage.objects.live().get(locale__language_code="fr").url,
        "feature": TestimonyPage.objects.live().first().url,
        "experience": ExperiencePage.objects.live().first().url,
    }


def read_head(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    reader = HeadReader()
    reader.feed(response.content.decode())
    return reader


def test_the_seven_pages_have_a_description_a_canonical_link_a_language_and_a_title_of_their_own(
    demo_site, client
):
    heads = {name: read_head(client, url) for name, url in seven_pages().items()}
    for name, head in heads.items():
        assert len(head.descriptions) == 1, name
        assert 50 <= len(head.descriptions[0]) <= 161, (name, head.descriptions[0])
        assert len(head.canonicals) == 1, name
        assert head.canonicals[0].startswith("http"), name
        assert "?" not in head.canonicals[0], name
        assert head.lang == "fr", name
    descriptions = [head.descriptions[0] for head in heads.values()]
    assert len(set(descriptions)) == len(descriptions), descriptions
    titles = [" ".join(head.title.split()) for head in heads.values()]
    assert len(set(titles)) == len(titles), titles


def test_an_authority_page_is_described_by_its_data(demo_site, client):
    authority = Authority.objects.get(name="Bessancourt")
    atlas = AtlasPage.objects.live().get(locale__language_code="fr")
    head = read_head(client, atlas.url_for("authority", authority.slug))
    description = head.descriptions[0]
    assert description.startswith("Bessancourt (95 – Val-d’Oise)")
    count = sum(cooperation.projects.count() for cooperation in authority.cooperations.all())
    assert f" {count} " in description
    cooperations = authority.cooperations.select_related("partner__country")
    countries = {cooperation.partner.country.name for cooperation in cooperations}
    assert any(country in description for country in countries)


def test_two_searches_have_their_own_descriptions(demo_site, client):
    search = AtlasPage.objects.live().get(locale__language_code="fr").url_for("search")
    first = read_head(client, search + "?q=eau").descriptions[0]
    second = read_head(client, search + "?q=culture").descriptions[0]
    assert first != second
    assert "eau" in first


def test_a_description_is_escaped(demo_site, client):
    authority = Authority.objects.get(name="Bessancourt")
    authority.name = 'Bessancourt "<b>'
    authority.save()
    atlas = AtlasPage.objects.live().get(locale__language_code="fr")
    html = client.get(atlas.url_for("authority", authority.slug)).content.decode()
    description = re.search(r'<meta name="description" content="([^"]*)"', html).group(1)
    assert description.startswith("Bessancourt &quot;&lt;b&gt;"), description


@pytest.mark.parametrize("field", ["search_description", "intro"])
def test_a_wagtail_page_takes_its_editor_description_else_its_introduction(demo_site, client, field):
    feature = TestimonyPage.objects.live().first().specific
    feature.search_description = (
        "Written for search engines by the editor, long enough to be shown."
        if (field == "search_description")
        else ""
    )
    feature.intro = "An introduction long enough to describe the feature to a search engine, in its words."
    feature.save_revision().publish()
    head = read_head(client, feature.url)
    expected = feature.search_description or feature.intro
    assert head.descriptions == [expected]


def test_base_template_renders_no_description_when_there_is_none(db, rf):
    html = render_to_string("base.html", {"request": rf.get("/")})
    assert 'name="description"' not in html


# --- the basemap --------------------------------------------------------------------------------------


def test_maps_open_on_the_110m_world_and_name_the_50m_for_zoomed_views(demo_site, client):
    atlas = AtlasPage.objects.live().get(locale__language_code="fr")
    html = client.get(atlas.url).content.decode()
    config = json.loads(unescape(re.search(r'data-map="([^"]*)"', html).group(1)))
    assert config["basemap"].endswith("/countries-110m.json")
    assert config["basemap_detail"].endswith("/countries-50m.json")
    assert config["basemap_detail_zoom"] >= 3
    world = ROOT / "static" / "vendor" / "world-atlas"
    assert (world / "countries-110m.json").stat().st_size < (world / "countries-50m.json").stat().st_size / 5


# --- images -----------------------------------------------------------------------------------------------


def test_photos_come_in_modern_formats_with_their_size_and_load_when_seen(demo_site, client):
    experience = next(page for page in ExperiencePage.objects.live() if page.photos.exists())
    html = client.get(experience.url).content.decode()
    picture = re.search(r"<picture>.*?</picture>", html, re.S).group(0)
    assert 'type="image/avif"' in picture
    assert 'type="image/webp"' in picture
    img = re.search(r"<img [^>]*>", picture).group(0)
    assert re.search(r'width="\d+"', img)
    assert re.search(r'height="\d+"', img)
    assert 'loading="lazy"' in img
    assert re.search(r'src="[^"]*\.jpg"', img)


# --- static files -----------------------------------------------------------------------------------------

# What the check below leaves out of collectstatic, to keep it to seconds: the admin's files and django-dsfr's
# full builds and separate components (the bundle points only at its fonts and icons).
NOT_COLLECTED = (
    "wagtail*",
    "admin",
    "rest_framework",
    "drf_spectacular_sidecar",
    "django-dsfr",
    "component",
    "core",
    "utility",
    "legacy",
    "scheme",
    "layout",
    "artwork",
    "analytics",
    "pictograms",
    "*.nomodule.min.js",
)


def test_production_static_files_are_hashed_compressed_and_cached_for_ever(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.DEBUG = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", "--no-input", "-v0", *(f"--ignore={pattern}" for pattern in NOT_COLLECTED))
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    bundle = manifest["vendor/dsfr/dsfr-portal.css"]
    assert re.fullmatch(r"vendor/dsfr/dsfr-portal\.[0-9a-f]{12}\.css", bundle)
    assert (tmp_path / f"{bundle}.gz").exists()
    assert (tmp_path / f"{bundle}.br").exists()
    # The bundle's fonts and icons point at their hashed names.
    css = (tmp_path / bundle).read_text()
    assert re.search(r"Marianne-Regular\.[0-9a-f]{12}\.woff2", css)

    middleware = WhiteNoiseMiddleware(lambda request: HttpResponse(status=404))
    request = RequestFactory().get(f"/static/{bundle}", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    response = middleware(request)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]
    assert int(response["Content-Length"]) < (tmp_path / bundle).stat().st_size / 5


def test_a_member_list_whose_paginator_page_is_called_page_has_no_description(db, rf):
    """Member lists hand their paginator's page to the template as `page`: it is no Wagtail page (it was a 500
    on /compte/bourse/)."""
    html = render_to_string("base.html", {"request": rf.get("/"), "page": Paginator([1, 2], 1).page(1)})
    assert 'name="description"' not in html
