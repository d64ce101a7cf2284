import os
from pathlib import Path

import pytest

from django.conf import settings
from django.core.management import call_command
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


@pytest.fixture
def demo_site(db):
    call_command("demo", quiet=True)
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture(autouse=True)
def _site_language():
    """A request to an /en/ page leaves English active in the thread (LocaleMiddleware never deactivates it):
    each test starts in the site's language, so reverse() and gettext do not depend on the test before."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
