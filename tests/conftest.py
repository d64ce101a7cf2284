import os
from pathlib import Path

import pytest

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from wagtail.models import Page, Site

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


def pytest_collection_modifyitems(items):
    """pytest-django creates the test databases only if a collected test asks for them by a fixture it can
    see or a marker: `demo_site` asks for `db` at run time, so its tests carry the marker."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        if "demo_site" in names and "live_server" not in names and "transactional_db" not in names:
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(scope="module")
def _demo_in_module(request, django_db_setup, django_db_blocker):
    """The demo, built once for a test module inside a transaction rolled back after its last test.

    Each test's own transaction (pytest-django's `db`, Django's TestCase) is then a savepoint inside this one:
    a test's changes are undone after it, and the demo after the module. Tests that need committed data (the
    browser tests' live server, `transactional_db`) build it themselves: see `demo_site`."""
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
def demo_site(request):
    """The home page of the demo site. Built once per module for tests inside a transaction; built for the
    test itself when it runs against committed data (a live server), which is flushed after it."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        call_command("demo", quiet=True)
    else:
        request.getfixturevalue("_demo_in_module")
        request.getfixturevalue("db")
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture(autouse=True)
def _site_language():
    """A request to an /en/ page leaves English active in the thread (LocaleMiddleware never deactivates it):
    each test starts in the site's language, so reverse() and gettext do not depend on the test before."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
