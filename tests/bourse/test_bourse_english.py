"""The Bourse in English: a project shows the partner's own wording, the French text and, where written, the
English one; under /en/ the English text comes first, or a notice says it is not translated yet and the
French text is marked as French. The embassy writes the English text in the admin."""

import html as html_lib
import re

import pytest

from atlas.bourse.links import bourse_url
from atlas.bourse.models import BourseProject
from atlas.models import Country, Theme
from tests.accounts.factories import EmbassyFactory, agent_of
from tests.accounts.test_permission_table import form_data
from tests.atlas.factories import BoursePageFactory, BourseProjectFactory, PartnerAuthorityFactory

NOTICE = "Not translated into English yet — shown in French."


@pytest.fixture
def projects(home):
    senegal = Country.objects.get(code="SN")
    BoursePageFactory(parent=home, slug="bourse-projets")
    embassy = EmbassyFactory(name="Ambassade de France au Sénégal", countries=[senegal])
    translated = BourseProjectFactory(
        partner=PartnerAuthorityFactory(name="Saint-Louis", country=senegal),
        embassy=embassy,
        title="Gestion des déchets du marché",
        summary="La commune cherche un partenaire pour la collecte des déchets.",
        title_en="Market waste management",
        summary_en="The municipality seeks a partner to collect the market's waste.",
        original_language="wolof",
        original_title="Toppatoo mbalit ci marse bi",
        themes=[Theme.objects.get(slug="eau-et-assainissement")],
    )
    untranslated = BourseProjectFactory(
        partner=PartnerAuthorityFactory(name="Ziguinchor", country=senegal),
        embassy=embassy,
        title="Formation des agents de l’état civil",
        summary="Numériser les registres d’état civil.",
        themes=[Theme.objects.get(slug="gouvernance-locale")],
    )
    return translated, untranslated, embassy


def get(client, url, language):
    response = client.get(f"/{language}{url}" if language != "fr" else url)
    assert response.status_code == 200
    return response.content.decode()


def h1(html):
    return re.search(r"<h1([^>]*)>(.*?)</h1>", html, re.S).groups()


@pytest.mark.django_db
def test_under_en_the_english_text_comes_first_then_the_french_and_the_partners(client, projects):
    translated, _untranslated, _embassy = projects
    html = get(client, bourse_url("project", translated.pk), "en")
    assert h1(html) == ("", "Market waste management")
    assert NOTICE not in html
    english = html.index("The municipality seeks a partner")
    french = html.index('<blockquote class="bourse-french" lang="fr">')
    original = html.index('<blockquote class="bourse-original" lang="wo">')
    assert english < french < original
    assert "Gestion des déchets du marché" in html[french:original]
    assert "Toppatoo mbalit ci marse bi" in html[original:]
    # Names in English too: the country and the theme.
    assert "Saint-Louis, Senegal" in html
    assert "Water and sanitation" in html


@pytest.mark.django_db
def test_under_en_an_untranslated_project_says_so_and_marks_its_french(client, projects):
    _translated, untranslated, _embassy = projects
    html = get(client, bourse_url("project", untranslated.pk), "en")
    assert NOTICE in html_lib.unescape(html)
    attributes, title = h1(html)
    assert (attributes.strip(), html_lib.unescape(title)) == (
        'lang="fr"',
        "Formation des agents de l’état civil",
    )
    assert 'lang="fr">Numériser les registres' in html_lib.unescape(html)


@pytest.mark.django_db
def test_in_french_the_french_text_comes_first_and_the_english_is_offered(client, projects):
    translated, untranslated, _embassy = projects
    html = get(client, bourse_url("project", translated.pk), "fr")
    assert h1(html) == ("", "Gestion des déchets du marché")
    assert NOTICE not in html
    block = html[html.index('<blockquote class="bourse-english" lang="en">') :]
    assert "Market waste management" in block
    assert "bourse-english" not in get(client, bourse_url("project", untranslated.pk), "fr")


@pytest.mark.django_db
def test_the_english_list_and_map_show_english_titles_where_written(client, projects):
    html = html_lib.unescape(get(client, bourse_url("projects"), "en"))
    assert ">Market waste management</a>" in html
    assert 'lang="fr">Formation des agents de l’état civil</a>' in html
    map_data = re.search(r"data-map=\"([^\"]*)\"", get(client, bourse_url("projects"), "en"))
    assert map_data is not None
    assert "Market waste management" in html_lib.unescape(map_data.group(1))
    french = html_lib.unescape(get(client, bourse_url("projects"), "fr"))
    assert ">Gestion des déchets du marché</a>" in french
    assert "Market waste management" not in french


@pytest.mark.django_db
def test_the_embassy_writes_the_english_text_in_the_admin(client, projects):
    _translated, untranslated, embassy = projects
    agent = agent_of(embassy)
    client.force_login(agent)
    url = f"/admin/snippets/atlas/bourseproject/edit/{untranslated.pk}/"
    form = client.get(url).content.decode()
    assert 'name="title_en"' in form
    assert 'name="summary_en"' in form
    data = form_data(
        BourseProject,
        untranslated,
        agent,
        {"title_en": "Training civil registry staff", "summary_en": "Digitise the civil registers."},
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    # A live project's edit is a draft the Délégation publishes (the Bourse's workflow).
    draft = BourseProject.objects.get(pk=untranslated.pk).latest_revision.as_object()
    assert (draft.title_en, draft.summary_en) == (
        "Training civil registry staff",
        "Digitise the civil registers.",
    )
