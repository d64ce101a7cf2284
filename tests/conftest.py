import os
from pathlib import Path

import pytest

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from wagtail.models import Page, Site

from portal.core import page_cache, route_cache, versions_copy
from tests.atlas.factories import AtlasPageFactory
from tests.pages.factories import HomePageFactory

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by fixtures there are
# still synchronous, so Django's async-safety guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def home(db):
    """A home page at the root of the default site, as the demo content builds it."""
    root = Page.get_first_root_node()
    page = HomePageFactory(parent=root, slug="accueil")
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": page}
    )
    return page


@pytest.fixture
def atlas(home):
    """The Atlas page under the home, at /atlas/, as the demo makes it."""
    return AtlasPageFactory(parent=home, slug="atlas")


@pytest.fixture(scope="module")
def _demo_in_module(request, django_db_setup, django_db_blocker):
    """The demo, built once for a test module inside a transaction rolled back after its last test.

    Each test's own transaction (pytest-django's `db`, Django's TestCase) is then a savepoint inside this one:
    a test's changes are undone after it, and the demo after the module. Tests that need committed data (the
    browser tests' live server) build it themselves: see tests/browser/conftest.py."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("demo", quiet=True)
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo_site(_demo_in_module, db):
    """The home page of the demo site, built once per module (the browser tests, on a live server, override
    this fixture: they need the demo committed, and build it for each test)."""
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: what a test cached (pages, menus, figures, keyed on versions that
    its rollback takes back) never answers the next one, which may run on the same module-wide demo."""
    cache.clear()
    route_cache.forget()
    page_cache.forget()
    versions_copy.forget_all()


@pytest.fixture(autouse=True)
def _site_language():
    """A request to an /en/ page leaves English active in the thread (LocaleMiddleware never deactivates it):
    each test starts in the site's language, so reverse() and gettext do not depend on the test before."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
