import subprocess
import sys

import pytest

from tests.conftest import ROOT


def test_home_page_has_the_dsfr_frame(client, demo_site):
    html = client.get("/").text
    assert 'class="fr-header"' in html
    assert 'href="#content"' in html  # skip link
    assert 'id="search-input"' in html
    assert 'id="fr-navigation"' in html
    assert "Atlas de la coopération décentralisée" in html  # main navigation from the page tree
    assert "Mentions légales" in html  # footer institutional pages
    assert "fr-breadcrumb" not in html  # no breadcrumb on the home page


def test_section_page_has_a_breadcrumb(client, demo_site):
    html = client.get("/rubrique/").text
    assert "fr-breadcrumb" in html
    assert "Le rendez-vous du mois" in html


def test_language_switch_leads_to_english(client, demo_site):
    french = client.get("/rubrique/").text
    assert 'hreflang="en"' in french
    assert 'href="/en/rubrique/"' in french
    english = client.get("/en/rubrique/")
    assert english.status_code == 200
    assert '<html lang="en"' in english.text
    assert "Search the portal" in english.text


def test_unknown_page_gets_the_dsfr_404(client, demo_site):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page non trouvée" in response.text
    assert "fr-header" in response.text
    # The ways out of the shared error frame (templates/includes/error_page.html).
    assert '<a class="fr-btn" href="/">Page d’accueil</a>' in response.text
    assert 'href="/recherche/">Rechercher sur le portail</a>' in response.text


def test_server_error_page_renders_without_database_or_context(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Erreur inattendue" in response.content.decode()
    assert "fr-header" in response.content.decode()
    assert "Essayez de rafraîchir la page ou réessayez plus tard." in response.content.decode()
    assert '<a class="fr-btn" href="/">Page d’accueil</a>' in response.content.decode()


def test_robots_and_sitemap(client, demo_site):
    robots = client.get("/robots.txt").text
    assert "Disallow: /admin/" in robots
    assert "Sitemap: http://testserver/sitemap.xml" in robots
    sitemap = client.get("/sitemap.xml").text
    assert "<loc>http://localhost/atlas/</loc>" in sitemap


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", "Saisissez un ou plusieurs mots"),
        ("zzzzqqqq", "Aucun résultat"),
        ("x" * 500, "trop longue"),
    ],
)
def test_search_never_fails(client, demo_site, query, expected):
    response = client.get("/recherche/", {"q": query})
    assert response.status_code == 200
    assert expected in response.text


def test_search_finds_a_section(client, demo_site):
    response = client.get("/recherche/", {"q": "tourisme"})
    assert "Tourisme responsable" in response.text


def test_production_settings_refuse_to_start_without_secret_key():
    env = {"DJANGO_SETTINGS_MODULE": "portal.settings.production", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_admin_is_in_french(client, django_user_model):
    admin = django_user_model.objects.create_superuser("chef", "chef@example.org", "x")
    client.force_login(admin)
    assert "Tableau de bord" in client.get("/admin/").text


def test_header_shows_the_ministry_block_from_the_site_settings(client, demo_site):
    html = client.get("/").text
    assert '<p class="fr-logo">Ministère<br>de l’Europe<br>et des Affaires<br>étrangères</p>' in html
