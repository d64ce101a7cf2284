"""Hostile input on every URL of the portal never answers a server error.

Every pattern of django.urls.get_resolver() (and every route of the routable pages) is requested by a visitor
and by a Délégation administrator: path parameters filled with plausible and hostile values, each GET repeated
with hostile query parameters (the generic ones and the form fields the page shows), each page's form posted
with hostile data. A 4xx or a form error is a fine answer; a 5xx is a fault. Every request runs in a savepoint
rolled back afterwards, so that what one request deletes or breaks does not hide the next one's fault.
"""

import logging
import re
import sys
import time
import uuid
import zlib
from http.cookies import SimpleCookie
from urllib.parse import unquote

import pytest

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.signals import got_request_exception
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import translation
from django.utils.html import escape

from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, Workflow

from atlas.models import Cooperation, Project, Theme
from portal.accounts.models import Album, SavedMap
from tests.accounts.factories import UserFactory
from tests.atlas.factories import (
    AuthorityFactory,
    BourseProjectFactory,
    ContactFactory,
    NetworkFactory,
    PartnerAuthorityFactory,
    ProjectFactory,
    ThemeFactory,
)
from tourism.models import ExperiencePage

DELEGATION_ADMIN = "demo.delegation.admin"

HUGE = "99999999999999999999"  # above 2**64: out of range of every integer column
# One value per class of hostile input; the query parameters of a request take them in turn (see `rotated`).
HOSTILE = [
    HUGE,
    "-9223372036854775809",
    "nan",
    "inf",
    "-1e400",
    "../../../etc/passwd",
    "<script>alert(1)</script>",
    "é" * 3 + "\u202e🙂\ufeff",
    "x" * 3000,
    "",
    "0",
    "1,2",
]
CONTROL = ["a\x00b", "\x00", "a\x01b\x1f"]  # PostgreSQL refuses NUL in text; the others are never legitimate
GENERIC_PARAMS = [
    "q",
    "page",
    "p",
    "authority",
    "country",
    "partner",
    "continent",
    "region",
    "departement",
    "theme",
    "status",
    "lat",
    "lng",
    "zoom",
    "sort",
    "ordering",
    "year_from",
    "year_to",
    "type",
    "format",
    "query",
    "next",
    "kind",
    "when",
    "album",
    "id",
    "pk",
]
MEMBER_AREAS = ("/compte/", "/donnees/export/")
PORTAL_ADMIN = ("/admin/snippets/", "/admin/extranet/", "/admin/atlas/", "/admin/tourisme/")
SLOW = 0.3  # seconds: a page slower than this is requested with one hostile variant of each kind, not two
# Views of Wagtail itself that answer some hostile input with a server error (by view path or URL name), left
# out of the fuzzing and to be reported upstream. None today: those of Wagtail 7.4 (choosers' keys and ids, a
# workflow's page number, the root page's ordering, the import of redirects, the "failwhale" page) are guarded
# by portal/core/admin_guards.py, tried once each below.
UPSTREAM_FAULTS = set()
FIELD_NAME_RE = re.compile(r"""<(?:input|select|textarea)\b[^>]*\bname=["']([^"']+)["']""", re.I)
SKIPPED_FIELDS = {"csrfmiddlewaretoken"}
# A formset's size fields are left out: Django caps a forged TOTAL_FORMS at 1,000 extra forms, a valid answer
# that takes long to render in the admin's inline panels (the aid declaration's lines are bounded, see
# tests/accounts/test_choosers.py).
FORMSET_SIZE = re.compile(r"-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$")
# Regex groups of the few re_path patterns, with a value that matches each.
REGEX_GROUPS = [
    (r"\(\?P<\w+>live\|earliest\|\\d\+\)", "earliest"),
    (r"\(\?P<\w+>live\|latest\|\\d\+\)", "latest"),
    (r"\(live\|earliest\|\\d\+\)", "earliest"),
    (r"\(live\|latest\|\\d\+\)", "latest"),
    (r"\(\?P<(\w+)>\.\+\)", "{str}"),
    (r"\(\\d\+\)", "{int}"),
    (r"\(\.\*\)", "{str}"),
    (r"\.\*", "x"),
]


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def fill(route, value):
    """The route with every parameter given `value` (a dict: converter name -> text), or None if it has a
    shape this table does not know."""
    route = route.replace("^", "").replace("$", "").replace(r"\.", ".")
    for group, replacement in REGEX_GROUPS:
        route = re.sub(
            group, replacement.replace("{int}", value["int"]).replace("{str}", value["str"]), route
        )
    route = re.sub(
        r"<(?:(\w+):)?(\w+)>", lambda match: value.get(match.group(1) or "str", value["str"]), route
    )
    if re.search(r"[()\\[\]]", route):
        return None
    return "/" + route


def plausible_values():
    return {"int": "1", "str": "1", "slug": "paris", "uuid": str(uuid.uuid4()), "path": "1"}


def hostile_path_values():
    """Each hostile class once: every converter gets it, each in one URL."""
    return [
        {"int": HUGE, "str": HUGE, "slug": "x" * 300, "uuid": str(uuid.UUID(int=0)), "path": HUGE},
        {"int": "0", "str": "..%2F..%2Fetc", "slug": "-", "uuid": str(uuid.uuid4()), "path": "../x"},
        {"int": "1", "str": "%00", "slug": "a%00b", "uuid": str(uuid.uuid4()), "path": "%00"},
        {
            "int": "2",
            "str": "%C3%A9%F0%9F%99%82" * 100,
            "slug": "%C3%A9t%C3%A9",
            "uuid": str(uuid.uuid4()),
            "path": "%FF%FE",
        },
    ]


def urls_from_resolver(admin):
    """Concrete URLs for every pattern of the Wagtail admin (admin=True) or of the rest (False): a set with
    plausible parameters, and a set with hostile ones (each class of hostile value in turn, pattern after
    pattern)."""
    plausible, hostile = set(), set()
    for index, (route, pattern) in enumerate(walk(get_resolver().url_patterns)):
        if pattern.name == "wagtail_serve" or route.startswith("admin/") != admin:
            continue  # the page tree is walked page by page (see page_urls)
        for urls, value in [(plausible, plausible_values()), (hostile, hostile_path_values()[index % 4])]:
            url = fill(route, value)
            if url and not upstream_fault(url):
                urls.add(url)
    return plausible, hostile - plausible


def page_urls():
    """Every page of the tree, each route of the routable pages, and a few paths that match no page."""
    urls = {"/inexistante/", "/%00/", "/" + "x" * 2000 + "/", "/%C3%A9t%C3%A9/"}
    for page in Page.objects.live().specific():
        url = page.url
        if not url:
            continue
        urls.add(url)
        if isinstance(page, RoutablePageMixin):
            for route, _pattern in walk(page.get_subpage_urls()):
                for value in [plausible_values(), *hostile_path_values()]:
                    filled = fill(route, value)
                    if filled:
                        urls.add(url + filled.lstrip("/"))
    return urls


def upstream_fault(url):
    try:
        match = resolve(unquote(url).split("?")[0])
    except Resolver404:
        return False
    return match._func_path in UPSTREAM_FAULTS or match.view_name in UPSTREAM_FAULTS


def rotated(names, shift):
    """Query data where the n-th name takes the (n + shift)-th hostile value: a few requests give every
    parameter every class of value."""
    return {name: HOSTILE[(index + shift) % len(HOSTILE)] for index, name in enumerate(sorted(names))}


class Fuzzer:
    """Requests hostile variants of URLs and keeps what answered a 5xx, with the exception behind it."""

    def __init__(self, client):
        self.client = client
        self.failures = []
        self.requests = 0
        self.exception = None

    def remember(self, sender, **kwargs):
        self.exception = sys.exc_info()[1]

    def request(self, method, url, data=None):
        """One request in a rolled-back savepoint; the session cookie is kept (a logout stays undone)."""
        cookies = SimpleCookie()
        cookies.load(self.client.cookies.output(header="", sep=";"))
        self.requests += 1
        self.exception = None
        with transaction.atomic():
            try:
                response = getattr(self.client, method)(url, data or {})
            finally:
                transaction.set_rollback(True)
                self.client.cookies = cookies
        if response.status_code >= 500:
            shown = {key: value[:30] for key, value in (data or {}).items()}
            self.failures.append(
                f"{method.upper()} {url[:120]} {shown} -> {response.status_code} {self.exception!r}"
            )
        return response

    def fuzz(self, url, level):
        """A plain GET, then by level: "smoke" one GET with hostile query parameters (the generic ones and the
        fields the page shows); "once" adds a GET with control characters and a hostile POST of the fields;
        "thorough" does each with two different hostile values per parameter (one only for a page slower than
        SLOW seconds)."""
        started = time.monotonic()
        response = self.request("get", url)
        slow = time.monotonic() - started > SLOW
        fields = set()
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            found = FIELD_NAME_RE.findall(response.content.decode(errors="replace"))
            fields = {name for name in found if name not in SKIPPED_FIELDS and not FORMSET_SIZE.search(name)}
        names = fields | set(GENERIC_PARAMS)
        first = zlib.crc32(url.encode()) % len(HOSTILE)  # each URL its own combination, the same every run
        shifts = [first, first + len(HOSTILE) // 2] if level == "thorough" and not slow else [first]
        for shift in shifts:
            self.request("get", url, rotated(names, shift))
        if level == "smoke":
            return
        self.request("get", url, {name: CONTROL[index % len(CONTROL)] for index, name in enumerate(names)})
        if fields:
            for shift in shifts:
                self.request("post", url, rotated(fields, shift + 1))
        elif response.status_code == 405:
            self.request("post", url, rotated(GENERIC_PARAMS, first))


# Each class of bad input, once, with what the user sees -----------------------------------------------


def fr(message):
    with translation.override("fr"):
        return str(translation.gettext(message))


def is_the_french_400_page(response):
    html = response.content.decode()
    return (
        response.status_code == 400
        and escape(fr("Bad request")) in html
        and escape(fr("Check what you typed, or go back to the previous page and try again.")) in html
        and 'class="fr-header' in html
    )


@pytest.fixture
def member(client, db):
    user = UserFactory()
    client.force_login(user)
    return user


def test_control_characters_in_an_address_a_search_or_a_form_answer_the_french_400_page(client, member):
    assert is_the_french_400_page(client.get("/recherche/", {"q": "eau\x00"}))
    assert is_the_french_400_page(client.get("/atlas/recherche/", {"partner": "Dakar\x01"}))
    assert is_the_french_400_page(client.get("/inconnue\x00/"))
    response = client.post(reverse("accounts:personal_album_create"), {"title": "Sahel\x00"})
    assert is_the_french_400_page(response)
    assert not Album.objects.filter(owner=member).exists()
    # Tabs and line breaks are text: a text area sends them (the vertical tab too, from a word processor).
    response = client.post(reverse("accounts:personal_album_create"), {"title": "Sahel\tet\r\nMali\x0b"})
    assert response.status_code == 302
    assert Album.objects.filter(owner=member).exists()


def test_a_next_address_outside_the_site_is_refused_with_the_french_400_page(client, member):
    assert is_the_french_400_page(client.get("/admin/login/", {"next": "0"}))
    assert is_the_french_400_page(client.get("/compte/connexion/", {"next": "//ailleurs.example/"}))
    assert client.get("/compte/connexion/", {"next": "/compte/espace/"}).status_code != 400


def test_a_request_django_refuses_gets_the_french_400_page(client, db):
    assert is_the_french_400_page(client.get("/", HTTP_HOST="ailleurs.example"))


def test_ids_beyond_the_database_range_find_nothing_instead_of_failing(client, member):
    assert client.get(f"/compte/tourisme/experiences/{HUGE}/").status_code == 404
    assert client.get(f"/compte/espace/albums/{HUGE}/modifier/").status_code == 404
    # Relations and lists of ids, as filters and forms use them.
    assert not ExperiencePage.objects.filter(pk=int(HUGE)).exists()
    assert not Project.objects.filter(cooperation=int(HUGE)).exists()
    theme = ThemeFactory()
    assert list(Theme.objects.filter(pk__in=[theme.pk, int(HUGE), -int(HUGE)])) == [theme]
    assert not Project.objects.filter(cooperation__in=[int(HUGE)]).exists()


def test_the_atlas_answers_huge_ids_and_non_finite_numbers_with_a_404_or_a_form_error(demo, db, client):
    for url in [f"/atlas/projets/{HUGE}/", f"/atlas/partenaires/{HUGE}/", f"/bourse/projets/{HUGE}/"]:
        assert client.get(url).status_code == 404, url
    for params in [
        {"authority": "9999999999999999999", "year_from": HUGE},
        {"year_from": "nan", "year_to": "inf"},
        {"country": HUGE, "theme": HUGE, "page": HUGE},
    ]:
        assert client.get("/atlas/recherche/", params).status_code in (200, 400), params
        assert client.get("/donnees/atlas/carte.json", params).status_code in (200, 400), params
    client.force_login(get_user_model().objects.get(username=DELEGATION_ADMIN))
    centres = [{"lat": "nan", "lng": "2"}, {"lat": "1", "lng": "inf"}, {"lat": "1", "lng": "2", "zoom": HUGE}]
    for centre in centres:
        response = client.post(reverse("accounts:personal_map_save"), {"title": "Sahel", **centre})
        assert response.status_code == 200, centre  # the form again, with its error
    assert not SavedMap.objects.filter(title="Sahel").exists()


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("delegation", "d@example.org", "x"))
    return client


def test_every_atlas_listing_of_the_admin_searches_on_every_database(admin_client):
    """SQLite's full-text table has no per-field columns: the listings now search with the ORM everywhere."""
    records = {
        "authority": AuthorityFactory(name="Xyzeaubonne").name,
        "partnerauthority": PartnerAuthorityFactory(name="Xyzeau Claire").name,
        "project": ProjectFactory(title="Château Xyzeau de Podor").title,
        "network": NetworkFactory(name="Réseau Xyzeau").name,
        "contact": ContactFactory(title="Chargé du Xyzeau").last_name,
        "bourseproject": BourseProjectFactory(title="Xyzeau potable à Kaolack").title,
    }
    for model, shown in records.items():
        response = admin_client.get(f"/admin/snippets/atlas/{model}/", {"q": "xyzeau"})
        assert response.status_code == 200, model
        assert escape(shown) in response.text, model
        assert admin_client.get(f"/admin/snippets/atlas/{model}/", {"q": "introuvable"}).status_code == 200


def test_a_forged_id_in_an_admin_chooser_is_a_form_error(admin_client):
    url = "/admin/snippets/atlas/cooperation/add/"
    before = Cooperation.objects.count()
    for forged in ["nan", "../../etc", HUGE]:
        response = admin_client.post(url, {"authority": forged, "partner": forged, "kind": "cooperation"})
        assert response.status_code == 200, forged
        assert "error-message" in response.text, forged
    assert Cooperation.objects.count() == before


def test_the_parameters_wagtail_admin_views_trust_answer_a_404_or_the_french_400(admin_client):
    """portal/core/admin_guards.py: each Wagtail 7.4 view that ended in a server error on a forged value."""
    for chooser in ["wagtaildocs_chooser", "wagtailimages_chooser", "wagtailsnippetchoosers_atlas_country"]:
        for key in ["%C3%A9", "..%2F..%2Fetc", "1.5"]:
            url = reverse(f"{chooser}:chosen", args=["1"]).replace("/1/", f"/{key}/")
            assert admin_client.get(url).status_code == 404, url
        for ids in [["nan"], ["1", "é"], [""], ["²"]]:
            response = admin_client.get(reverse(f"{chooser}:chosen_multiple"), {"id": ids})
            assert is_the_french_400_page(response), (chooser, ids)
    # The page chooser's own "chosen-multiple" (portal.accounts.choosers) drops what is not a page id.
    response = admin_client.get("/admin/choose-page/chosen-multiple/", {"id": ["nan", "²", HUGE]})
    assert response.status_code == 200
    assert response.json()["result"] == []
    assert is_the_french_400_page(admin_client.get("/admin/choose-page/", {"target_pages[]": "nan"}))
    workflow = Workflow.objects.create(name="Relecture")
    url = reverse("wagtailadmin_workflows:edit", args=[workflow.pk])
    assert admin_client.get(url, {"p": "1"}).status_code == 200
    for page_number in ["nan", "2", "0", HUGE, "1.5"]:
        assert admin_client.get(url, {"p": page_number}).status_code == 404, page_number
    root = Page.get_first_root_node()
    url = reverse("wagtailadmin_pages:set_page_position", args=[root.pk])
    assert admin_client.post(url + "?position=0").status_code == 404
    response = admin_client.post(reverse("wagtailredirects:process_import"), {"from_index": "0"})
    assert is_the_french_400_page(response)
    # Wagtail's page that fails on purpose, to try error reports, is not offered to the world.
    assert Client().get("/admin/failwhale/").status_code == 404


def test_an_admin_url_naming_an_impossible_record_is_a_404(admin_client):
    for key in ["..%2F..%2Fetc", "%C3%A9t%C3%A9", HUGE]:
        response = admin_client.get(f"/admin/snippets/atlas/project/edit/{key}/")
        assert response.status_code == 404, key


# Every URL ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo content and accounts, built once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", quiet=True)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def quiet_request_log():
    """Thousands of expected 4xx would flood the log; the 5xx are reported by the assertion."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


def run(client, urls, level):
    fuzzer = Fuzzer(client)
    got_request_exception.connect(fuzzer.remember)
    try:
        for url in sorted(urls):
            fuzzer.fuzz(url, level)
    finally:
        got_request_exception.disconnect(fuzzer.remember)
    assert not fuzzer.failures, "\n".join(fuzzer.failures)


def delegation_client():
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username=DELEGATION_ADMIN))
    return client


def is_member_area(url):
    return url.startswith(MEMBER_AREAS)


def test_no_public_url_answers_a_server_error_to_a_visitor(demo, db, quiet_request_log):
    urls = set().union(*urls_from_resolver(admin=False))
    client = Client(raise_request_exception=False)
    run(client, {url for url in urls if not is_member_area(url)} | page_urls(), "thorough")
    run(client, {url for url in urls if is_member_area(url)}, "smoke")  # all of them send to the login page


def test_no_member_area_url_answers_a_server_error_to_a_delegation_administrator(demo, db, quiet_request_log):
    urls = set().union(*urls_from_resolver(admin=False))
    run(delegation_client(), {url for url in urls if is_member_area(url)}, "thorough")


def test_no_admin_url_answers_a_server_error_to_a_delegation_administrator(demo, db, quiet_request_log):
    """The portal's own admin screens (Atlas records, extranet, tourism) once each; Wagtail's own (pages,
    images, users, workflows...) and the addresses of records that cannot exist with hostile query
    parameters only."""
    plausible, hostile = urls_from_resolver(admin=True)
    client = delegation_client()
    run(client, {url for url in plausible if url.startswith(PORTAL_ADMIN)}, "once")
    run(client, {url for url in plausible if not url.startswith(PORTAL_ADMIN)} | hostile, "smoke")
