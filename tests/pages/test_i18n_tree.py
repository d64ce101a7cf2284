"""Editorial pages in French and English (issue 15): one page tree per locale, the English one kept in step by
wagtail-localize; /en/ addresses for every page; the switcher and hreflang links; the "not translated" notice;
search, sitemap and the caches per language."""

import re

import pytest

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from wagtail.models import Locale, Page

from atlas.bourse.links import live_bourse
from atlas.bourse.models import BourseProject
from atlas.models import AtlasPage, Authority, Country, PartnerAuthority, Project
from atlas.urls_helper import atlas_url
from pages.demo import TRANSLATED_FEATURE, UNTRANSLATED_FEATURE
from pages.models import HomePage, RubricPage, StandardPage
from portal.core.subpages import subpage_url

NOTICE = "This page has not been translated into English yet; it is shown in French."


@pytest.fixture
def trees(demo_site):
    french = Locale.objects.get(language_code="fr")
    english = Locale.objects.get(language_code="en")
    return french, english


def english_twin(page):
    return page.get_translation(Locale.objects.get(language_code="en")).specific


def feature(slug, language="fr"):
    return RubricPage.objects.get(locale__language_code=language).get_children().get(slug=slug).specific


def h1(response):
    return re.search(r"<h1[^>]*>(.*?)</h1>", response.text, re.S)[1].strip()


def test_both_locales_exist_and_every_french_page_has_its_english_twin(trees):
    french, english = trees
    french_pages = Page.objects.filter(locale=french, depth__gt=1)
    assert french_pages.count() > 20
    twins = Page.objects.filter(locale=english, depth__gt=1)
    assert set(twins.values_list("translation_key", flat=True)) == set(
        french_pages.values_list("translation_key", flat=True)
    )
    # Untranslated pages are aliases of the French ones; the demo translated some.
    untranslated = feature(UNTRANSLATED_FEATURE, "en")
    assert untranslated.alias_of_id == feature(UNTRANSLATED_FEATURE).pk
    translated = feature(TRANSLATED_FEATURE, "en")
    assert translated.alias_of_id is None
    assert translated.title == "Senegal in focus"
    assert english_twin(demo_home()).title == "Decentralised cooperation"


def demo_home():
    return HomePage.objects.get(locale__language_code="fr")


def test_a_page_created_in_the_admin_gets_its_english_alias(client, trees):
    admin = get_user_model().objects.get(username="demo.delegation.admin")
    client.force_login(admin)
    rubric = RubricPage.objects.get(locale__language_code="fr")
    response = client.post(
        reverse("wagtailadmin_pages:add", args=["pages", "standardpage", rubric.pk]),
        {
            "title": "Nouvelle page",
            "slug": "nouvelle-page",
            "intro": "",
            "body-count": "0",
            "action-publish": "1",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    page = StandardPage.objects.get(slug="nouvelle-page", locale__language_code="fr")
    alias = english_twin(page)
    assert alias.alias_of_id == page.pk
    assert alias.get_parent().pk == RubricPage.objects.get(locale__language_code="en").pk
    client.logout()
    assert client.get("/en/rubrique/nouvelle-page/").status_code == 200


def test_french_addresses_are_unchanged_and_english_ones_are_under_en(client, trees):
    french, english = trees
    for page in Page.objects.filter(locale=french, depth__gt=1).live().specific():
        url = page.get_url()
        assert not url.startswith("/en/")
        twin = english_twin(page)
        assert twin.get_url() == "/en" + url, page
        restricted = page.get_view_restrictions().exists()
        answer = client.get(twin.get_url())
        assert answer.status_code == (302 if restricted else 200), twin.get_url()
    assert RubricPage.objects.get(locale=french).get_url() == "/rubrique/"
    assert AtlasPage.objects.get(locale=french).get_url() == "/atlas/"


def test_atlas_and_bourse_sub_pages_have_english_addresses(client, trees):
    authority = Authority.objects.order_by("pk").first()
    project = Project.objects.order_by("pk").first()
    country = Country.objects.filter(code="SN").get()
    partner = PartnerAuthority.objects.order_by("pk").first()
    bourse_project = BourseProject.objects.filter(status=BourseProject.Status.OPEN).order_by("pk").first()
    with translation.override("en"):
        urls = [
            atlas_url("authorities"),
            atlas_url("authority", authority.slug),
            atlas_url("project", project.pk),
            atlas_url("countries"),
            atlas_url("country", country.slug),
            atlas_url("partner", partner.pk),
            atlas_url("search"),
        ]
        if bourse_project is not None:
            urls.append(subpage_url(live_bourse(), "project", bourse_project.pk))
    with translation.override("fr"):
        assert atlas_url("authority", authority.slug) == f"/atlas/collectivites/{authority.slug}/"
    for url in urls:
        assert url.startswith("/en/"), url
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="en"' in response.text or 'lang="en"' in response.text[:500]


def test_switcher_and_hreflang_link_each_page_to_its_translation(client, trees):
    french = feature(TRANSLATED_FEATURE)
    english = feature(TRANSLATED_FEATURE, "en")
    # An English slug of its own: the links follow the translation, not the French address.
    english.slug = "senegal-in-focus"
    english.save_revision().publish()
    response = client.get(french.get_url())
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/rubrique/senegal-in-focus/">' in (
        response.text
    )
    assert 'hreflang="en" lang="en" href="/en/rubrique/senegal-in-focus/"' in response.text
    response = client.get("/en/rubrique/senegal-in-focus/")
    assert h1(response) == "Senegal in focus"
    assert (
        '<link rel="alternate" hreflang="fr" href="http://testserver/rubrique/zoom-senegal/">'
        in response.text
    )
    # A routable page's sub-page keeps its route in the other language.
    authority = Authority.objects.order_by("pk").first()
    response = client.get(f"/atlas/collectivites/{authority.slug}/")
    assert f'hreflang="en" href="http://testserver/en/atlas/collectivites/{authority.slug}/"' in response.text


def test_notice_and_lang_only_where_the_english_page_is_untranslated(client, trees):
    response = client.get(f"/en/rubrique/{UNTRANSLATED_FEATURE}/")
    assert NOTICE in response.text
    assert re.search(r'<div class="portal-page-content" lang="fr">', response.text)
    translated = client.get(f"/en/rubrique/{TRANSLATED_FEATURE}/")
    assert NOTICE not in translated.text
    assert '<div class="portal-page-content">' in translated.text
    french = client.get(f"/rubrique/{UNTRANSLATED_FEATURE}/")
    assert "portal-page-content" in french.text
    assert "untranslated-notice" not in french.text
    # The Atlas home is translated in the demo; its sub-pages never carry the page's notice.
    assert NOTICE not in client.get("/en/atlas/").text
    assert NOTICE not in client.get("/en/atlas/pays/").text


def test_the_english_rubric_offers_translated_features_and_marks_the_rest(client, trees):
    response = client.get("/en/rubrique/")
    cards = re.findall(
        r'<div class="fr-card fr-enlarge-link">(.*?)</div>\s*</div>\s*</div>', response.text, re.S
    )
    marked = {card for card in cards if "Not translated yet: in French" in card}
    assert any("Senegal in focus" in card for card in cards)
    assert all("Senegal in focus" not in card for card in marked)
    assert any("Les collectivités ouvrent des portes" in card for card in marked)
    assert 'lang="fr"><a href="/en/rubrique/temoignage-ambassadeur/"' in response.text
    assert "Not translated yet" not in client.get("/rubrique/").text


def test_search_lists_no_page_twice(client, trees):
    french = client.get("/recherche/", {"q": "Sénégal"})
    links = re.findall(r'href="(/[^"]*rubrique/[^"]*)"', french.text)
    assert "/rubrique/zoom-senegal/" in links
    assert not any(link.startswith("/en/") for link in links)
    english = client.get("/en/recherche/", {"q": "Senegal"})
    links = re.findall(r'href="(/[^"]*rubrique/[^"]*)"', english.text)
    assert "/en/rubrique/zoom-senegal/" in links
    assert not any(link.startswith("/rubrique/") for link in links)
    assert len(links) == len(set(links))


def test_page_cache_does_not_mix_languages(client, trees):
    url = f"/rubrique/{TRANSLATED_FEATURE}/"
    first = client.get(url)
    english = client.get("/en" + url)
    assert h1(first) == "Zoom sur le Sénégal"
    assert h1(english) == "Senegal in focus"
    assert first["X-Page-Cache"] == "miss"
    assert english["X-Page-Cache"] == "miss"
    again, english_again = client.get(url), client.get("/en" + url)
    assert again["X-Page-Cache"] == "hit"
    assert english_again["X-Page-Cache"] == "hit"
    assert h1(again) == "Zoom sur le Sénégal"
    assert h1(english_again) == "Senegal in focus"
    # The menu too (the route cache keeps one per language).
    assert ">This month’s feature</a>" in english_again.text
    assert ">Le rendez-vous du mois</a>" in again.text


def test_site_name_and_footer_in_the_visitors_language(client, trees):
    english = client.get("/en/")
    assert '<p class="fr-header__service-title">Decentralised cooperation</p>' in english.text
    assert "— Decentralised cooperation</title>" in english.text
    french = client.get("/")
    assert '<p class="fr-header__service-title">Coopération décentralisée</p>' in french.text


def test_sitemap_lists_both_trees_without_untranslated_aliases(client, trees):
    response = client.get("/sitemap.xml")
    urls = re.findall(r"<loc>([^<]+)</loc>", response.text)
    locations = {re.sub(r"^https?://[^/]+", "", url) for url in urls}
    assert {"/", "/rubrique/temoignage-ambassadeur/", "/en/", "/en/rubrique/zoom-senegal/"} <= locations
    assert "/en/rubrique/temoignage-ambassadeur/" not in locations


def test_the_members_page_stays_restricted_in_english(client, trees):
    response = client.get("/en/espace-membres/")
    assert (
        response.status_code == 302 and "login" in response["Location"] or "connexion" in response["Location"]
    )


def test_one_atlas_page_per_locale(trees):
    french_home = demo_home()
    english_home = english_twin(french_home)
    assert not AtlasPage.can_create_at(french_home)
    assert not AtlasPage.can_create_at(english_home)
    english_twin(AtlasPage.objects.get(locale__language_code="fr")).delete()
    assert AtlasPage.can_create_at(english_home)
    assert not AtlasPage.can_create_at(french_home)
