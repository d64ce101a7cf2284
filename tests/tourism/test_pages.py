"""What readers see of the responsible-tourism platform: its home, indexes, pages, maps and links."""

import datetime
import html
import io
import json
import re

import pytest
from PIL import Image as PILImage

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.documents.models import Document
from wagtail.images.models import Image

from atlas.models import Country
from portal.accounts.models import Organisation
from tests.accounts.factories import UserFactory
from tests.atlas.factories import AuthorityFactory, CooperationFactory, ProjectFactory
from tests.tourism.factories import EventPageFactory, ExperiencePageFactory, ResourcePageFactory
from tourism.models import ExperienceAuthority, ExperiencePhoto, ExperienceProject, TourismTheme

INVALID_CHOICE = "Sélectionnez un choix valide"


def jpeg(title, color=(180, 110, 40)):
    """A wagtail Image made from a real small JPEG."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (80, 60), color).save(buffer, "JPEG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="photo.jpg"))


def theme(slug):
    return TourismTheme.objects.get(slug=slug)


def experience(index, title, days_ago=1, country="SN", themes=(), photo=True, **fields):
    page = ExperiencePageFactory(
        parent=index,
        title=title,
        country=Country.objects.get(code=country),
        first_published_at=timezone.now() - datetime.timedelta(days=days_ago),
        **fields,
    )
    if themes:
        page.themes.set([theme(slug) for slug in themes])
        page.save()
    if photo:
        ExperiencePhoto.objects.create(
            page=page,
            image=jpeg(title),
            alt_text=f"Vue de {title}",
            credit="Comité villageois",
            caption="Le village au matin",
        )
    return page


def map_data(config):
    return json.loads(config)["points"]["places"]


def data_map(text):
    """The JSON of every map of a page, as the map script reads it from its data-map attribute."""
    return [json.loads(html.unescape(value)) for value in re.findall(r"data-map='([^']*)'", text)] + [
        json.loads(html.unescape(value)) for value in re.findall(r'data-map="([^"]*)"', text)
    ]


def titles(response):
    return [page.title for page in response.context["page_obj"].object_list]


@pytest.fixture
def authority(db):
    return AuthorityFactory(name="Ville de Chambéry")


@pytest.fixture
def platform(experiences_index, resources_index, events_index, atlas, authority):
    """Three live experiences (one without a place on the map), a draft, two events to come and one past."""
    casamance = experience(
        experiences_index,
        "Un village d’accueil en Casamance",
        days_ago=3,
        themes=["tourisme-solidaire", "tourisme-rural"],
        slug="casamance",
        organisation=Organisation.objects.create(name="Association Casamance Accueil", kind="ngo"),
    )
    project = ProjectFactory(
        title="Accueil touristique à Oussouye", cooperation=CooperationFactory(authority=authority)
    )
    ExperienceAuthority.objects.create(page=casamance, authority=authority)
    ExperienceProject.objects.create(page=casamance, project=project)
    atlas_mountains = experience(
        experiences_index,
        "Écotourisme dans le Haut Atlas",
        days_ago=2,
        country="MA",
        themes=["ecotourisme"],
        slug="haut-atlas",
        place_name="Imlil",
        location="SRID=4326;POINT(-7.92 31.13)",
    )
    hoi_an = experience(
        experiences_index,
        "Le patrimoine de Hội An",
        days_ago=1,
        country="VN",
        themes=["patrimoine", "tourisme-solidaire"],
        slug="hoi-an",
        place_name="Hội An",
        location="",
        photo=False,
    )
    draft = experience(
        experiences_index,
        "Brouillon secret de Kolda",
        days_ago=0,
        themes=["ecotourisme"],
        slug="brouillon",
        live=False,
    )
    ExperienceAuthority.objects.create(page=draft, authority=authority)
    today = timezone.localdate()
    events = {
        "soon": EventPageFactory(
            parent=events_index,
            title="Rencontre du tourisme solidaire",
            slug="rencontre",
            start_date=today + datetime.timedelta(days=10),
            registration_url="https://example.org/inscription",
        ),
        "later": EventPageFactory(
            parent=events_index,
            title="Forum des voyages de jeunes",
            slug="forum",
            country=Country.objects.get(code="BJ"),
            place_name="Cotonou",
            location="SRID=4326;POINT(2.42 6.37)",
            start_date=today + datetime.timedelta(days=60),
            end_date=today + datetime.timedelta(days=62),
        ),
        "ongoing": EventPageFactory(
            parent=events_index,
            title="Semaine de l’écotourisme",
            slug="semaine",
            start_date=today - datetime.timedelta(days=2),
            end_date=today + datetime.timedelta(days=2),
        ),
        "past": EventPageFactory(
            parent=events_index,
            title="Atelier passé de Dakar",
            slug="atelier",
            start_date=today - datetime.timedelta(days=30),
        ),
    }
    resource = ResourcePageFactory(
        parent=resources_index,
        slug="charte",
        link="https://example.org/charte",
        country=Country.objects.get(code="FR"),
        document=Document.objects.create(
            title="Charte", file=ContentFile(b"%PDF-1.4\n" + b"x" * 2000, name="charte.pdf")
        ),
    )
    resource.themes.set([theme("tourisme-solidaire")])
    resource.save()
    return {
        "casamance": casamance,
        "atlas_mountains": atlas_mountains,
        "hoi_an": hoi_an,
        "draft": draft,
        "project": project,
        "events": events,
        "resource": resource,
    }


# --- Every page type ---------------------------------------------------------------------------------------


def test_every_page_type_renders_with_its_content(client, tourism_home, platform):
    pages = [
        tourism_home,
        platform["casamance"].get_parent(),
        platform["resource"].get_parent(),
        platform["events"]["soon"].get_parent(),
        platform["casamance"],
        platform["resource"],
        platform["events"]["later"],
    ]
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert response.text.count("<h1") == 1, page.url
        assert f"<h1>{page.title}</h1>" in response.text, page.url
        assert 'class="fr-breadcrumb"' in response.text, page.url
    # What each index lists.
    assert "Un village d’accueil en Casamance" in client.get(pages[1].url).text
    assert "Charte du voyageur responsable" in client.get(pages[2].url).text
    assert "Rencontre du tourisme solidaire" in client.get(pages[3].url).text


def test_experience_page_shows_the_whole_experience(client, platform, authority):
    page = platform["casamance"]
    response = client.get(page.url)
    text = response.text
    assert page.summary in text
    assert "Oussouye, Sénégal" in text
    assert "Le séjour est organisé avec le comité villageois." in text  # the rich-text body
    assert "Une classe construite." in text
    assert "Associer les familles dès le départ." in text
    assert "Association Casamance Accueil" in text
    # Themes lead to the index filtered by them; the Atlas links lead to the authority and the project.
    assert 'href="/tourisme-responsable/experiences/?theme=tourisme-rural"' in text
    assert f'href="/atlas/collectivites/{authority.slug}/">Ville de Chambéry</a>' in text
    assert f'href="/atlas/projets/{platform["project"].pk}/">Accueil touristique à Oussouye</a>' in text
    # The gallery: a figure per photo, its text alternative, caption and credit.
    figure = re.search(r'<figure class="fr-content-media.*?</figure>', text, re.S).group(0)
    assert 'alt="Vue de Un village d’accueil en Casamance"' in figure
    assert "Le village au matin" in figure
    assert "© Comité villageois" in figure
    assert re.search(r'<img[^>]+src="/media/images/[^"]+"', figure)
    # The map shows the experience's own place.
    (config,) = data_map(text)
    assert config["points"]["places"] == [
        [12.48, -16.54, page.title, "", "Oussouye, Sénégal"],
    ]
    assert 'aria-label="' in text.split("data-map", 1)[0].rsplit("<figure", 1)[1]
    # The members' comments close the page.
    assert text.index("© Comité villageois") < text.index('id="commentaires"')


def test_experience_without_place_has_no_map(client, platform):
    response = client.get(platform["hoi_an"].url)
    assert response.status_code == 200
    assert "data-map" not in response.text
    assert "leaflet.js" not in response.text


def test_resource_page_offers_the_document_and_the_link(client, platform):
    text = client.get(platform["resource"].url).text
    link = re.search(r'<a class="fr-link fr-link--download"[^>]*>.*?</a>', text, re.S).group(0)
    assert 'href="/documents/' in link
    assert "download" in link
    assert "PDF – 2,0\xa0Kio" in link
    assert 'href="https://example.org/charte"' in text
    assert 'href="/tourisme-responsable/ressources/?theme=tourisme-solidaire"' in text


def test_event_page_shows_dates_place_map_and_registration(client, platform):
    event = platform["events"]["later"]
    text = client.get(event.url).text
    assert f'<time datetime="{event.start_date:%Y-%m-%d}">' in text
    assert f'<time datetime="{event.end_date:%Y-%m-%d}">' in text
    assert "Cotonou, Bénin" in text
    (config,) = data_map(text)
    assert config["points"]["places"] == [[6.37, 2.42, event.title, "", "Cotonou, Bénin"]]
    assert config["view"] == "fit"
    assert config["basemap"].endswith("countries-110m.json")
    assert config["basemap_detail"].endswith("countries-50m.json")
    soon = client.get(platform["events"]["soon"].url).text
    assert 'href="https://example.org/inscription"' in soon
    past = client.get(platform["events"]["past"].url).text
    assert "Atelier passé de Dakar" in past


def test_event_map_json_survives_quotes_and_markup(client, events_index):
    event = EventPageFactory(
        parent=events_index,
        title='L\'« atelier » <b>&</b> "autre"',
        slug="guillemets",
        place_name="Saint-Louis",
    )
    (config,) = data_map(client.get(event.url).text)
    assert config["points"]["places"][0][2] == event.title


# --- The home ----------------------------------------------------------------------------------------------


def test_home_shows_latest_experiences_upcoming_events_and_theme_counts(client, tourism_home, platform):
    response = client.get(tourism_home.url)
    context = response.context
    assert [page.title for page in context["latest_experiences"]] == [
        "Le patrimoine de Hội An",
        "Écotourisme dans le Haut Atlas",
        "Un village d’accueil en Casamance",
    ]
    assert [event.slug for event in context["upcoming_events"]] == ["semaine", "rencontre", "forum"]
    assert "Atelier passé de Dakar" not in response.text
    counts = {item.slug: item.count for item in context["themes"]}
    assert counts == {"tourisme-solidaire": 2, "tourisme-rural": 1, "ecotourisme": 1, "patrimoine": 1}
    assert 'href="/tourisme-responsable/experiences/?theme=tourisme-solidaire"' in response.text
    for slug in ("experiences", "ressources", "evenements"):
        assert f'href="/tourisme-responsable/{slug}/"' in response.text
    # A card shows the first photo (its card rendition), the country and the themes.
    card = response.text.split('<div class="fr-card fr-enlarge-link">')[3]
    assert "Un village d’accueil en Casamance" in card
    assert "Sénégal" in card
    assert "Tourisme rural" in card
    assert re.search(r'<img[^>]+src="/media/images/[^"]+\.fill-400x225[^"]*"', card)


def test_home_shows_at_most_six_experiences_and_three_events(
    client, tourism_home, experiences_index, events_index
):
    for n in range(8):
        experience(experiences_index, f"Expérience {n}", days_ago=n, slug=f"e{n}", photo=False)
    for n in range(5):
        EventPageFactory(
            parent=events_index, slug=f"ev{n}", start_date=timezone.localdate() + datetime.timedelta(days=n)
        )
    context = client.get(tourism_home.url).context
    assert [page.slug for page in context["latest_experiences"]] == [f"e{n}" for n in range(6)]
    assert [event.slug for event in context["upcoming_events"]] == ["ev0", "ev1", "ev2"]


def test_share_button_sends_anonymous_readers_through_login(client, tourism_home, experiences_index):
    text = client.get(tourism_home.url).text
    assert 'href="/compte/connexion/?next=%2Fcompte%2Ftourisme%2Fexperiences%2Fnouvelle%2F"' in text
    client.force_login(UserFactory())
    text = client.get(experiences_index.url).text
    assert 'href="/compte/tourisme/experiences/nouvelle/"' in text


# --- Maps --------------------------------------------------------------------------------------------------


def test_maps_hold_exactly_the_live_experiences_with_a_place(client, tourism_home, platform):
    expected = {
        (12.48, -16.54, "Un village d’accueil en Casamance", "/tourisme-responsable/experiences/casamance/"),
        (31.13, -7.92, "Écotourisme dans le Haut Atlas", "/tourisme-responsable/experiences/haut-atlas/"),
    }
    for page in (tourism_home, platform["casamance"].get_parent()):
        response = client.get(page.url)
        places = map_data(response.context["map_config"])
        assert {tuple(place[:4]) for place in places} == expected
        assert json.loads(response.context["map_config"])["cluster"] is True
        assert "Brouillon" not in response.context["map_config"]
        figure = re.search(r'<figure class="fr-my-3w tourism-map".*?</figure>', response.text, re.S).group(0)
        assert 'aria-label="' in figure
        assert "aria-describedby=" in figure


def test_index_map_follows_the_filters(client, platform):
    response = client.get(platform["casamance"].get_parent().url, {"country": "maroc"})
    assert [place[2] for place in map_data(response.context["map_config"])] == [
        "Écotourisme dans le Haut Atlas"
    ]


# --- Indexes and their filters -----------------------------------------------------------------------------


def test_experience_index_lists_the_live_experiences_newest_first(client, platform):
    response = client.get(platform["casamance"].get_parent().url)
    assert titles(response) == [
        "Le patrimoine de Hội An",
        "Écotourisme dans le Haut Atlas",
        "Un village d’accueil en Casamance",
    ]
    assert "Brouillon" not in response.text
    assert response.text.count('class="fr-card fr-enlarge-link"') == 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"country": "maroc"}, ["Écotourisme dans le Haut Atlas"]),
        ({"theme": "tourisme-solidaire"}, ["Le patrimoine de Hội An", "Un village d’accueil en Casamance"]),
        ({"theme": "ecotourisme"}, ["Écotourisme dans le Haut Atlas"]),
        ({"country": "senegal", "theme": "tourisme-rural"}, ["Un village d’accueil en Casamance"]),
        ({"country": "senegal", "theme": "patrimoine"}, []),
    ],
)
def test_experience_index_filters_by_country_and_theme(client, platform, query, expected):
    response = client.get(platform["casamance"].get_parent().url, query)
    assert response.status_code == 200
    assert titles(response) == expected
    # The chosen values stay in the form, so the address can be shared and the filters changed.
    for value in query.values():
        assert f'<option value="{value}" selected>' in response.text


def test_only_countries_that_appear_are_offered(client, platform):
    form = client.get(platform["casamance"].get_parent().url).context["filter"].form
    slugs = {country.slug for country in form.fields["country"].queryset}
    assert slugs == {"senegal", "maroc", "viet-nam"}


def test_a_bad_filter_value_is_a_french_error_not_a_server_error(client, platform):
    for query in ({"country": "atlantide"}, {"theme": "nope"}, {"country": "bresil"}):
        response = client.get(platform["casamance"].get_parent().url, query)
        assert response.status_code == 200
        assert INVALID_CHOICE in response.text
        assert 'role="alert"' in response.text
        assert titles(response) == []
        assert map_data(response.context["map_config"]) == []


def test_index_is_paginated_and_keeps_the_filters(client, experiences_index):
    for n in range(14):
        experience(
            experiences_index, f"Séjour {n}", days_ago=n, slug=f"s{n}", photo=False, themes=["patrimoine"]
        )
    response = client.get(experiences_index.url, {"theme": "patrimoine"})
    assert len(response.context["page_obj"].object_list) == 12
    assert "?theme=patrimoine&amp;page=2" in response.text or "?page=2&amp;theme=patrimoine" in response.text
    second = client.get(experiences_index.url, {"theme": "patrimoine", "page": 2})
    assert titles(second) == ["Séjour 12", "Séjour 13"]


def test_event_index_shows_upcoming_by_default_then_past_or_all(client, platform):
    url = platform["events"]["soon"].get_parent().url
    assert titles(client.get(url)) == [
        "Semaine de l’écotourisme",
        "Rencontre du tourisme solidaire",
        "Forum des voyages de jeunes",
    ]
    assert titles(client.get(url, {"when": "past"})) == ["Atelier passé de Dakar"]
    assert len(titles(client.get(url, {"when": "all"}))) == 4
    assert titles(client.get(url, {"when": "all", "country": "benin"})) == ["Forum des voyages de jeunes"]
    response = client.get(url, {"when": "hier"})
    assert response.status_code == 200
    assert INVALID_CHOICE in response.text


def test_resource_index_filters(client, platform):
    url = platform["resource"].get_parent().url
    assert titles(client.get(url)) == ["Charte du voyageur responsable"]
    assert titles(client.get(url, {"theme": "tourisme-solidaire", "kind": "charter"})) == [
        "Charte du voyageur responsable"
    ]
    assert titles(client.get(url, {"theme": "patrimoine"})) == []
    assert INVALID_CHOICE in client.get(url, {"kind": "roman"}).text


def test_index_and_home_query_counts_do_not_grow_with_rows(
    client, tourism_home, experiences_index, events_index, django_assert_max_num_queries
):
    def add(start, stop):
        for n in range(start, stop):
            experience(
                experiences_index,
                f"Séjour {n}",
                days_ago=n,
                slug=f"sejour-{n}",
                themes=["patrimoine", "ecotourisme"],
                location=f"SRID=4326;POINT({n} 10)",
            )
            EventPageFactory(parent=events_index, slug=f"ev-{n}")

    def count(url):
        client.get(url)  # makes the renditions once
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add(0, 3)
    few = {page.url: count(page.url) for page in (tourism_home, experiences_index, events_index)}
    add(3, 15)
    for url, queries in few.items():
        client.get(url)
        with django_assert_max_num_queries(queries):
            assert client.get(url).status_code == 200


# --- Drafts and other parts of the portal ------------------------------------------------------------------


def test_atlas_authority_page_lists_the_experiences_naming_it(client, platform, authority):
    text = client.get(f"/atlas/collectivites/{authority.slug}/").text
    assert 'href="/tourisme-responsable/experiences/casamance/">Un village d’accueil en Casamance</a>' in text
    assert "Brouillon secret" not in text
    other = AuthorityFactory(name="Ville sans expérience")
    assert "/tourisme-responsable/" not in client.get(f"/atlas/collectivites/{other.slug}/").text


def test_atlas_authority_page_shows_a_new_experience_despite_its_cache(client, platform, authority):
    url = f"/atlas/collectivites/{authority.slug}/"
    client.get(url)
    platform["draft"].save_revision().publish()
    assert "Brouillon secret de Kolda" in client.get(url).text


def test_site_search_finds_live_experiences_resources_and_events_only(client, platform):
    response = client.get("/recherche/", {"q": "Casamance"})
    urls = [hit.url for hit in response.context["page_obj"]]
    assert "/tourisme-responsable/experiences/casamance/" in urls
    assert client.get("/recherche/", {"q": "Kolda"}).context["page_obj"].paginator.count == 0
    for query, url in [
        ("voyageur responsable", "/tourisme-responsable/ressources/charte/"),
        ("Forum jeunes", "/tourisme-responsable/evenements/forum/"),
        ("comité villageois", "/tourisme-responsable/experiences/casamance/"),
    ]:
        assert url in [hit.url for hit in client.get("/recherche/", {"q": query}).context["page_obj"]], query


def test_the_portal_home_shows_the_latest_experiences(client, home, platform):
    html = client.get(home.url).text
    assert "Dernières expériences de tourisme responsable" in html
    for title in (
        "Le patrimoine de Hội An",
        "Écotourisme dans le Haut Atlas",
        "Un village d’accueil en Casamance",
    ):
        assert title in html
    assert html.index("Le patrimoine de Hội An") < html.index("Un village d’accueil en Casamance")
    assert "Brouillon secret de Kolda" not in html
