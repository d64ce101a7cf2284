"""Country, theme and continent names in the visitor's language: countries from pycountry's translations,
themes from their translated fields (English filled in by a migration), continents through gettext; lists in
the reader's order. Every language of settings.LANGUAGES is served with no code change (Spanish below)."""

import re

import pytest

from django.contrib.auth.models import Group, Permission
from django.test import override_settings
from django.utils import translation

from atlas.models import Country, Theme
from atlas.models.records import country_catalogue, country_name
from portal.accounts.scope import DELEGATION_GROUP
from tests.accounts.factories import UserFactory
from tests.atlas.factories import AtlasPageFactory, CooperationFactory, PartnerAuthorityFactory

THREE_LANGUAGES = [("fr", "French"), ("en", "English"), ("es", "Spanish")]


def options(html, name):
    """The labels of a <select name=...>'s options, in their order (the empty choice left out)."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    pairs = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)
    return [label for value, label in pairs if value]


def checkbox_labels(html, name):
    ids = re.findall(rf'<input type="checkbox" name="{name}" value="[^"]*"[^>]*id="([^"]+)"', html)
    return [re.search(rf'<label[^>]*for="{i}"[^>]*>\s*([^<]*?)\s*</label>', html).group(1) for i in ids]


@pytest.fixture
def atlas(home):
    page = AtlasPageFactory(parent=home)
    # French order: Allemagne, Bénin, Égypte, Sénégal; English: Benin, Egypt, Germany, Senegal.
    for code in ("DE", "BJ", "EG", "SN"):
        CooperationFactory(partner=PartnerAuthorityFactory(country=Country.objects.get(code=code)))
    return page


@pytest.mark.django_db
def test_a_country_is_named_in_the_active_language():
    germany = Country.objects.get(code="DE")
    assert germany.name == "Allemagne"  # the stored name stays French
    names = {"fr": "Allemagne", "en": "Germany", "es": "Alemania", "pt": "Alemanha"}
    for language, expected in names.items():
        with translation.override(language):
            assert germany.local_name == expected == str(germany)
    with translation.override("en"):
        # pycountry's common name, not the official one.
        assert Country.objects.get(code="BO").local_name == "Bolivia"


def test_the_catalogue_of_a_language_is_read_once():
    country_catalogue.cache_clear()
    country_name.cache_clear()
    for _ in range(3):
        country_name("DE", "es")
        country_name("SN", "es")
    assert country_catalogue.cache_info().misses == 1
    assert country_catalogue("xx") is None  # no pycountry catalogue: the French name is shown


@pytest.mark.django_db
def test_a_country_pycountry_does_not_know_keeps_its_french_name():
    country = Country(code="XK", name="Kosovo (nom français)")
    with translation.override("en"):
        assert country.local_name == "Kosovo (nom français)"


@pytest.mark.django_db
def test_the_migration_gave_the_themes_english_names():
    water = Theme.objects.get(slug="eau-et-assainissement")
    assert water.translations == {"en": "Water and sanitation"}
    with translation.override("en"):
        assert water.local_name == "Water and sanitation"
    with translation.override("fr"):
        assert water.local_name == "Eau et assainissement"
    untranslated = Theme.objects.create(name="Coopération sportive")
    with translation.override("en"):
        assert untranslated.local_name == "Coopération sportive"  # French when not translated


@pytest.mark.django_db
def test_the_search_filters_name_and_sort_countries_themes_and_continents_in_english(atlas, client):
    english = client.get("/en" + atlas.url_for("search")).content.decode()
    assert options(english, "country") == ["Benin", "Egypt", "Germany", "Senegal"]
    assert "Africa" in options(english, "continent")
    themes = checkbox_labels(english, "theme")
    assert "Water and sanitation" in themes
    assert themes == sorted(themes, key=str.casefold)

    french = client.get(atlas.url_for("search")).content.decode()
    assert options(french, "country") == ["Allemagne", "Bénin", "Égypte", "Sénégal"]
    assert "Eau et assainissement" in checkbox_labels(french, "theme")


@pytest.mark.django_db
def test_the_country_page_is_named_in_english(atlas, client):
    html = client.get("/en" + atlas.url_for("country", "allemagne")).content.decode()
    assert "<h1>Germany</h1>" in html
    assert "Allemagne" not in re.sub(r'href="[^"]*"', "", html)


@pytest.fixture
def delegation_admin(db):
    user = UserFactory()
    group = Group.objects.get_or_create(name=DELEGATION_GROUP)[0]
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    return user


def theme_form_data(theme, **translations):
    return {"name": theme.name, "slug": theme.slug, **translations}


@pytest.mark.django_db
def test_the_admin_edits_a_theme_name_per_language(client, delegation_admin):
    theme = Theme.objects.get(slug="jeunesse")
    client.force_login(delegation_admin)
    url = f"/admin/snippets/atlas/theme/edit/{theme.pk}/"
    form = client.get(url).content.decode()
    assert 'name="translations_en"' in form
    assert 'value="Youth"' in form
    response = client.post(url, theme_form_data(theme, translations_en="  Young   people "))
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.translations == {"en": "Young people"}
    response = client.post(url, theme_form_data(theme, translations_en="x" * 101))
    assert response.status_code == 200  # the form again, with its error, and the typed text kept
    assert 'value="' + "x" * 101 + '"' in response.content.decode()
    theme.refresh_from_db()
    assert theme.translations == {"en": "Young people"}


@pytest.mark.django_db
@override_settings(LANGUAGES=THREE_LANGUAGES)
def test_a_language_added_to_the_settings_is_served_with_no_code_change(atlas, client, delegation_admin):
    """Spanish: the language switcher offers it, pycountry names the countries, the themes' admin gets a
    Spanish name, Spanish pages are cached apart from the English ones."""
    theme = Theme.objects.get(slug="sante")
    client.force_login(delegation_admin)
    url = f"/admin/snippets/atlas/theme/edit/{theme.pk}/"
    assert 'name="translations_es"' in client.get(url).content.decode()
    client.post(url, theme_form_data(theme, translations_en="Health", translations_es="Salud"))
    theme.refresh_from_db()
    assert theme.translations == {"en": "Health", "es": "Salud"}
    client.logout()

    spanish = client.get("/es" + atlas.url_for("search"))
    assert spanish.status_code == 200
    assert spanish["Content-Language"] == "es"
    html = spanish.content.decode()
    assert options(html, "country") == ["Alemania", "Benín", "Egipto", "Senegal"]
    assert "Salud" in checkbox_labels(html, "theme")
    assert 'hreflang="es"' in html  # the language switcher
    english = client.get("/en" + atlas.url_for("search")).content.decode()
    assert "Salud" not in english
    assert "Health" in checkbox_labels(english, "theme")
