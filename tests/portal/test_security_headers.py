"""The security headers: a strict Content-Security-Policy on the public and member pages (nothing inline for
it to refuse), the admin's own policy, a map tile server admitted once an admin sets it, and the production
headers `check --deploy` asks for."""

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from wagtail.models import Site

from atlas.aid.national import filed_declarations
from atlas.bourse.models import BoursePage
from atlas.models import Authority
from pages.models import GoodPracticePage
from portal.core.csp import PortalCSPMiddleware, embeddable, tile_source
from portal.models import PortalSettings
from tests.conftest import ROOT
from tourism.models.pages import ExperiencePage

pytestmark = pytest.mark.django_db

# Scripts the browser does not run (data for a script, structured data for search engines): CSP ignores them.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def policy(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.wsgi_request.path}"
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


class InlineFinder(HTMLParser):
    """What a strict policy refuses in a page: inline scripts, <style> elements, style="" attributes, event
    handler attributes (onclick=...) and javascript: addresses."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        where = f"<{tag}{''.join(f' {k}={v!r}' for k, v in attrs)[:120]}>"
        if tag == "script":
            self._script = where if "src" not in attributes else None
            if (attributes.get("type") or "").lower() in DATA_SCRIPT_TYPES:
                self._script = None
        if tag == "style":
            self.found.append(f"<style> element: {where}")
        for name, value in attrs:
            if name == "style":
                self.found.append(f"style attribute: {where}")
            elif re.fullmatch(r"on[a-z]+", name):
                self.found.append(f"event handler attribute {name}: {where}")
            elif name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"javascript: address: {where}")

    def handle_data(self, data):
        if self._script and data.strip():
            self.found.append(f"inline script: {self._script} {data.strip()[:80]!r}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None


def inline_code(html):
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


def public_paths():
    feature = GoodPracticePage.objects.live().public().order_by("path").first()
    bourse = BoursePage.objects.live().first()
    experience = ExperiencePage.objects.live().public().order_by("path").first()
    # An authority with filed development aid: its page draws the aid bars (SVG widths, no style="").
    authority = Authority.objects.filter(aid_declarations__in=filed_declarations()).order_by("pk").first()
    paths = {
        "home": "/",
        "atlas": "/atlas/",
        "authority": f"/atlas/collectivites/{authority.slug}/",
        "atlas search": "/atlas/recherche/?q=eau",
        "search": "/recherche/?q=tourisme",
        "bourse": bourse.url,
        "feature": feature.url,
        "tourism experience": experience.url,
        "login": reverse("accounts:login"),
        "signup": reverse("accounts:signup"),
        "api docs": reverse("atlas_data:api_docs"),
        "not found": "/cette-page-n-existe-pas/",
    }
    return paths


def test_public_pages_have_a_strict_policy_and_nothing_inline(client, demo_site):
    paths = public_paths()
    bourse = client.get(paths["bourse"]).text
    projects = re.findall(rf'href="({re.escape(paths["bourse"])}projets/[0-9]+/)"', bourse)
    assert projects, "the demo Bourse lists no project"
    paths["bourse project"] = projects[0]
    seen = {}
    for name, path in paths.items():
        response = client.get(path)
        assert response.status_code in (200, 404), (name, path, response.status_code)
        directives = policy(response)
        assert directives["script-src"] == ["'self'"], (name, directives)
        assert directives["style-src"] == ["'self'"], (name, directives)
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'self'"]
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
        assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
        seen[f"{name} ({path})"] = inline_code(response.text)
        if name == "authority":
            assert 'class="atlas-bars__bar"' in response.text
    assert {page: found for page, found in seen.items() if found} == {}


def same_site_links(html, prefix):
    return sorted(
        {
            urlsplit(href).path
            for href in re.findall(r'href="([^"#?]+)', html)
            if urlsplit(href).path.startswith(prefix) and not urlsplit(href).netloc
        }
    )


def test_pages_linked_from_the_home_have_nothing_inline(client, demo_site):
    """Every page one click from the home (menus, footer, latest features): the policy would break them
    too."""
    links = same_site_links(client.get("/").text, "/")
    assert len(links) > 10
    found = {}
    for path in links[:80]:
        response = client.get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            assert "Content-Security-Policy" in response.headers, path
            found[path] = inline_code(response.text)
    assert {path: inline for path, inline in found.items() if inline} == {}


def test_member_pages_have_the_strict_policy_and_nothing_inline(client, demo_site):
    client.force_login(get_user_model().objects.get(username="demo.member"))
    dashboard = client.get(reverse("accounts:dashboard"))
    assert dashboard.status_code == 200
    links = [reverse("accounts:dashboard"), *same_site_links(dashboard.text, "/compte/")]
    found = {}
    for path in links[:40]:
        response = client.get(path)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        header = response.headers["Content-Security-Policy"]
        assert "'unsafe-inline'" not in header, path
        assert policy(response)["script-src"] == ["'self'"], path
        found[path] = inline_code(response.text)
    assert len(found) > 3, found
    assert {path: inline for path, inline in found.items() if inline} == {}


def test_the_finder_sees_what_the_policy_would_refuse():
    page = """<p style="color: red">a</p><script>alert(1)</script><button onclick="go()">b</button>
    <a href="javascript:go()">c</a><style>p {}</style><svg><rect style="fill: red"></rect></svg>
    <script src="/static/a.js"></script><script type="application/json">{"a": 1}</script>
    <script type="application/ld+json">{"@type": "Thing"}</script><p>style="just text"</p>"""
    found = inline_code(page)
    assert [entry.split(":")[0] for entry in found] == [
        "style attribute",
        "inline script",
        "event handler attribute onclick",
        "javascript",
        "<style> element",
        "style attribute",
    ]


def test_the_admin_has_its_own_policy_relaxed_only_for_inline_code(admin_client):
    """Wagtail's widgets set themselves up with inline scripts (settings/base.py says which): the admin alone
    admits inline code, still from this site only and without eval."""
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    directives = policy(response)
    assert directives["script-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'self'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    # An address that merely starts like the admin's is not the admin.
    assert policy(admin_client.get("/administration/"))["script-src"] == ["'self'"]


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("https://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://localhost:8080/tiles/{z}/{x}/{y}.png", "http://localhost:8080"),
        ("https://tiles-{s}.example.org/{z}.png", "https://*.example.org"),
        ("https://tiles.{s}.example.org/{z}.png", None),
        ("javascript:alert(1)", None),
        ("https://tiles.example.org; script-src *", None),
        ("https://[::1/{z}.png", None),
        ("", None),
    ],
)
def test_a_tile_url_becomes_one_source_or_none(url, source):
    assert tile_source(url) == source


def test_a_tile_server_set_in_the_site_settings_is_admitted_at_once(client, demo_site):
    before = policy(client.get("/atlas/"))
    assert before["img-src"] == ["'self'", "data:"]
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.map_tile_url = "https://{s}.tile.example.org/{z}/{x}/{y}.png"
    settings.save()
    assert policy(client.get("/atlas/"))["img-src"] == ["'self'", "data:", "https://*.tile.example.org"]
    # The other directives stay as they were: the tile server may serve images, nothing else.
    assert policy(client.get("/atlas/"))["script-src"] == ["'self'"]
    settings.map_tile_url = ""
    settings.save()
    assert policy(client.get("/atlas/"))["img-src"] == ["'self'", "data:"]


def test_an_embeddable_view_may_be_framed_by_other_sites():
    @embeddable()
    def view(request):
        return HttpResponse("<p>map</p>")

    request = RequestFactory().get("/carte-integrable/")
    response = PortalCSPMiddleware(view)(request)
    assert policy_of(response)["frame-ancestors"] == ["'self'", "*"]
    assert getattr(response, "xframe_options_exempt", False)

    framed = PortalCSPMiddleware(lambda request: HttpResponse("<p>page</p>"))(request)
    assert policy_of(framed)["frame-ancestors"] == ["'self'"]


def policy_of(response):
    return {
        name: sources
        for name, *sources in (part.split() for part in response["Content-Security-Policy"].split(";"))
    }


PRODUCTION_HEADERS = """
import json, django
django.setup()
from django.test import Client
response = Client().get("/robots.txt", secure=True, HTTP_HOST="portail.example.org")
print(json.dumps({"status": response.status_code, **dict(response.headers)}))
"""


def production_env():
    """The environment of a production process: its settings, a secret key, a host name, and none of the test
    run's own variables that the deploy check refuses (DJANGO_ALLOW_ASYNC_UNSAFE, set by
    tests/conftest.py)."""
    env = {name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "deploy-check-" + "k" * 60,
        "ALLOWED_HOSTS": "portail.example.org",
    }


def test_production_sends_the_security_headers():
    """An answer of a production process (its settings and middleware, in a process of its own: the settings
    module reads the environment once)."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", PRODUCTION_HEADERS],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    headers = json.loads(result.stdout.strip().splitlines()[-1])
    assert headers["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    csp = headers["Content-Security-Policy"]
    # The directives' order is django-csp's, not stable from one process to the next: compare them as a map.
    directives = {name: sources for name, *sources in (part.split() for part in csp.split(";"))}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp


def test_the_deploy_check_is_clean():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
