"""The /en/ site never shows French chrome: the main public pages rendered in English carry no string of the
French catalogue (a msgstr of locale/fr that differs from its msgid) in their visible text nor in their
aria-label, title, alt and placeholder attributes. This catches French hard-coded in templates and Python.

What editors write in French (page titles, introductions, bodies, record names) is content, not chrome, and is
translated through Wagtail's i18n: a French phrase found on the page that also appears in the database's
editorial text (every page's title, introduction and body, the site settings, the Atlas and Bourse records) is
counted as content and left out. So the test compares the chrome, wherever it is on the page, without marking
templates."""

import re

import polib
import pytest
from bs4 import BeautifulSoup

from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse

from atlas.bourse.models import BoursePage, BourseProject
from atlas.models import AtlasPage, Authority, Cooperation, Country, PartnerAuthority, Project
from pages.models import TestimonyPage
from tourism.models import ExperienceIndexPage

PO_FILE = settings.BASE_DIR / "locale" / "fr" / "LC_MESSAGES" / "django.po"
# A catalogue phrase shorter than this, or a single word, may be a proper noun or a word both languages share.
MIN_LENGTH = 12
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sd]|\{\{?[^}]*\}?\}|<[^>]+>")
ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")


def french_phrases():
    """Each French msgstr differing from its msgid, cut at its placeholders, in pieces of several words."""
    phrases = set()
    for entry in polib.pofile(str(PO_FILE)):
        if entry.obsolete or entry.fuzzy:
            continue
        pairs = [(entry.msgid, entry.msgstr)]
        if entry.msgid_plural:
            pairs = [(entry.msgid, text) for text in entry.msgstr_plural.values()]
        for msgid, msgstr in pairs:
            if not msgstr or msgstr == msgid:
                continue
            for piece in PLACEHOLDER.split(msgstr):
                piece = " ".join(piece.split()).strip(" .,:;«»“”()—–-")
                if len(piece) >= MIN_LENGTH and " " in piece and piece not in msgid:
                    phrases.add(piece)
    return phrases


def normalise(text):
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def editorial_text():
    """Everything editors and agents wrote in the database, as one string (content, not chrome)."""
    chunks = []
    for model in apps.get_models():
        if model._meta.app_label not in {"pages", "atlas", "tourism", "portal", "accounts", "wagtailcore"}:
            continue
        text_fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
            or field.get_internal_type() in {"StreamField", "RichTextField"}
        ]
        if not text_fields:
            continue
        for row in model._default_manager.values_list(*text_fields):
            chunks.extend(str(value) for value in row if value)
    return normalise(" ".join(chunks))


def visible_text_and_labels(html):
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style", "template", "noscript"]):
        hidden.decompose()
    texts = [soup.get_text(" ")]
    for element in soup.find_all(True):
        texts.extend(element.get(name, "") for name in ATTRIBUTES if element.get(name))
    return normalise(" ".join(texts))


def english_pages():
    """The main public pages, under /en/ (French addresses carry no prefix)."""
    atlas = AtlasPage.objects.live().order_by("pk").first()
    bourse = BoursePage.objects.live().order_by("pk").first()
    authority = Authority.objects.get(name="Bessancourt")
    project = Project.objects.filter(cooperation__authority=authority).order_by("pk").first()
    cooperation = Cooperation.objects.filter(authority=authority).order_by("pk").first()
    partner = PartnerAuthority.objects.get(pk=cooperation.partner_id)
    country = Country.objects.get(pk=partner.country_id)
    bourse_project = BourseProject.objects.visible().order_by("pk").first()
    french = {
        "home": "/",
        "atlas": atlas.url,
        "authority": atlas.url_for("authority", authority.slug),
        "project": atlas.url_for("project", project.pk),
        "country": atlas.url_for("country", country.slug),
        "partner": atlas.url_for("partner", partner.pk),
        "search": atlas.url_for("search") + "?q=eau",
        "bourse": bourse.url,
        "bourse_project": bourse.url + bourse.reverse_subpage("project", args=[bourse_project.pk]),
        "bourse_contact": bourse.url + bourse.reverse_subpage("contact", args=[bourse_project.pk]),
        "open_data": reverse("atlas_data:open_data"),
        "feature": TestimonyPage.objects.live().order_by("pk").first().url,
        "tourism": ExperienceIndexPage.objects.live().order_by("pk").first().url,
        "login": reverse("accounts:login"),
    }
    return {name: "/en" + url if not url.startswith("/en/") else url for name, url in french.items()}


def french_chrome(client, url, phrases, content):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Language"] == "en", url
    page = visible_text_and_labels(response.content.decode())
    return sorted(phrase for phrase in phrases if phrase in page and phrase not in content)


def test_the_catalogue_gives_phrases_to_look_for():
    phrases = french_phrases()
    assert len(phrases) > 500
    assert "Rechercher dans le portail" in phrases or any("Rechercher" in p for p in phrases)


@pytest.mark.django_db
def test_english_pages_show_no_french_chrome(demo_site, client):
    phrases = french_phrases()
    content = editorial_text()
    found = {
        name: french
        for name, url in english_pages().items()
        if (french := french_chrome(client, url, phrases, content))
    }
    assert found == {}


@pytest.mark.django_db
def test_the_check_finds_french_chrome(demo_site, client):
    """The same check on the French pages finds the catalogue's French: it would see a French string left
    in an English page."""
    phrases = french_phrases()
    content = editorial_text()
    response = client.get("/")
    page = visible_text_and_labels(response.content.decode())
    assert [phrase for phrase in phrases if phrase in page and phrase not in content]
