"""The frame of every Wagtail page (site, route, view restrictions, settings, menu, breadcrumb) kept per
process (portal/core/route_cache.py): a page served again costs none of those queries, and every change an
editor makes to them shows at once. Every visit here asks for a fresh answer (Cache-Control: no-cache), as the
bench's uncached rows do, so that the page cache (portal/core/page_cache.py) answers none of them."""

import pytest

from django.contrib.auth import get_user_model
from django.test import Client

from wagtail.models import Page, PageViewRestriction, Site

from atlas.bourse.models import BoursePage
from atlas.models import AtlasPage
from pages.models import RubricPage, TestimonyPage
from portal.models import PortalSettings
from tourism.models import ExperiencePage

pytestmark = pytest.mark.django_db

# The frame's reads: the site, the settings, and Wagtail's view-restriction check of the page (a listing's
# own filter of public pages joins the restrictions to the pages: that is the page's content).
FRAME_TABLES = (
    '"wagtailcore_site"',
    '"portal_portalsettings"',
    'FROM "wagtailcore_pageviewrestriction" WHERE "wagtailcore_pageviewrestriction"."page_id" IN',
)
ROUTING = ('"wagtailcore_page"."slug" = ', '"alias_of_id" FROM "wagtailcore_page"')


def fresh(client, url, status=200):
    response = client.get(url, headers={"cache-control": "no-cache"})
    assert response.status_code == status, url
    return response


def frame_queries(captured):
    return [query["sql"] for query in captured if any(table in query["sql"] for table in FRAME_TABLES)]


def pages():
    return {
        "home": "/",
        "rubric": RubricPage.objects.live().first().url,
        "feature": TestimonyPage.objects.live().first().url,
        "atlas": AtlasPage.objects.live().get(locale__language_code="fr").url,
        "bourse": BoursePage.objects.live().get(locale__language_code="fr").url,
        "experience": ExperiencePage.objects.live().first().url,
    }


def test_a_page_served_again_reads_no_site_route_restriction_settings_or_menu(
    client, demo_site, django_assert_max_num_queries
):
    for name, url in pages().items():
        fresh(client, url)
        with django_assert_max_num_queries(100) as captured:
            fresh(client, url)
        assert frame_queries(captured) == [], name
        # Wagtail's routing (a child by its slug) and its restriction check (the ancestors' aliases).
        routing = [sql for sql in (q["sql"] for q in captured) if any(part in sql for part in ROUTING)]
        assert routing == [], name


def test_the_atlas_home_served_again_costs_one_query(client, demo_site, django_assert_num_queries):
    url = AtlasPage.objects.live().get(locale__language_code="fr").url
    fresh(client, url)
    with django_assert_num_queries(1):  # the versions of the cached data, read once
        fresh(client, url)


def test_a_menu_page_renamed_shows_in_every_page_s_menu_at_once(client, demo_site):
    atlas = AtlasPage.objects.live().get(locale__language_code="fr").url
    fresh(client, atlas)
    rubric = RubricPage.objects.live().first()
    rubric.title = "Une rubrique renommée"
    rubric.save_revision().publish()
    assert "Une rubrique renommée" in fresh(client, atlas).text


def test_new_site_settings_show_at_once(client, demo_site):
    atlas = AtlasPage.objects.live().get(locale__language_code="fr").url
    fresh(client, atlas)
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.footer_description = "Un pied de page tout neuf"
    settings.save()
    assert "Un pied de page tout neuf" in fresh(client, atlas).text


def test_an_unpublished_page_is_gone_at_once_and_back_when_published(client, demo_site):
    feature = TestimonyPage.objects.live().first()
    url = feature.url
    fresh(client, url)
    feature.unpublish()
    fresh(client, url, status=404)
    feature.save_revision().publish()
    fresh(client, url)


def test_a_renamed_page_answers_at_its_new_address_only(client, demo_site):
    feature = TestimonyPage.objects.live().first()
    old = feature.url
    fresh(client, old)
    feature.slug = "une-adresse-nouvelle"
    feature.save_revision().publish()
    fresh(client, old, status=404)
    assert "une-adresse-nouvelle" in Page.objects.get(pk=feature.pk).url
    fresh(client, Page.objects.get(pk=feature.pk).url)


def test_a_page_restricted_to_members_is_closed_to_visitors_at_once(client, demo_site):
    bourse = BoursePage.objects.live().get(locale__language_code="fr")
    fresh(client, bourse.url)
    PageViewRestriction.objects.create(page=bourse, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(bourse.url, headers={"cache-control": "no-cache"})
    assert response.status_code == 302
    assert "/compte/connexion/" in response["Location"]

    member = Client()
    member.force_login(get_user_model().objects.get(username="demo.member"))
    assert fresh(member, bourse.url).status_code == 200


def test_each_request_gets_its_own_copy_of_the_page(client, demo_site):
    """Something a view sets on its page (here, as a template or a hook might) never reaches the next one."""
    url = AtlasPage.objects.live().get(locale__language_code="fr").url
    fresh(client, url)
    request = fresh(client, url).wsgi_request
    page = request._wagtail_route_for_request[0]
    page.title = "Modifié en mémoire seulement"
    assert "Modifié en mémoire seulement" not in fresh(client, url).text
