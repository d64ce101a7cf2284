"""The Atlas records in the Wagtail admin: map widget served locally, duplicate guard, mandatory fields."""

import pytest

from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from atlas.models import Country, PartnerAuthority, Project
from tests.atlas.factories import CooperationFactory, PartnerAuthorityFactory


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("delegation", "d@example.org", "x"))
    return client


def test_authority_form_edits_the_location_on_a_local_leaflet_map(admin_client):
    html = admin_client.get(reverse("wagtailsnippets_atlas_authority:add")).text
    assert 'data-controller="leaflet-field"' in html
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert "unpkg.com" not in html


def partner_data(name, **extra):
    return {
        "name": name,
        "country": Country.objects.get(code="SN").pk,
        "level": "municipality",
        "location": "SRID=4326;POINT(-16.07 14.15)",
        **extra,
    }


def test_similar_partner_is_refused_with_the_existing_one_offered(admin_client):
    PartnerAuthorityFactory(name="Saint-Louis", country=Country.objects.get(code="SN"))
    url = reverse("wagtailsnippets_atlas_partnerauthority:add")
    response = admin_client.post(url, partner_data("saint louis"))
    assert response.status_code == 200
    assert "Une collectivité partenaire au nom proche existe déjà dans ce pays" in response.text
    assert "« Saint-Louis »" in response.text
    assert 'value="saint louis"' in response.text  # what was typed is kept
    assert PartnerAuthority.objects.count() == 1


def test_similar_partner_is_saved_once_confirmed(admin_client):
    PartnerAuthorityFactory(name="Saint-Louis", country=Country.objects.get(code="SN"))
    url = reverse("wagtailsnippets_atlas_partnerauthority:add")
    response = admin_client.post(url, partner_data("Saint Louis", confirm_new_partner="on"))
    assert response.status_code == 302
    created = PartnerAuthority.objects.get(name="Saint Louis")
    assert (created.latitude, created.longitude) == (14.15, -16.07)


def test_same_name_in_another_country_is_not_a_duplicate(admin_client):
    PartnerAuthorityFactory(name="Saint-Louis", country=Country.objects.get(code="US"))
    response = admin_client.post(
        reverse("wagtailsnippets_atlas_partnerauthority:add"), partner_data("Saint-Louis")
    )
    assert response.status_code == 302


def test_project_mandatory_fields_and_end_year_are_explained_in_french(admin_client):
    cooperation = CooperationFactory()
    response = admin_client.post(
        reverse("wagtailsnippets_atlas_project:add"),
        {
            "cooperation": cooperation.pk,
            "title": "Forages",
            "summary": "",
            "status": "finished",
            "start_year": 2015,
            "end_year": "",
            "funding_framework": "",
        },
    )
    assert response.status_code == 200
    assert response.text.count("Champ requis.") == 2  # summary and themes
    assert "Un projet terminé doit avoir une année de fin." in response.text
    assert 'value="Forages"' in response.text
    assert not Project.objects.exists()


PLACE_IT = "Place it on the map: click its location, or type its latitude and longitude."


def in_french(message):
    """The message as the admin shows it (French catalogue, HTML-escaped)."""
    with translation.override("fr"):
        return escape(_(message))


def test_the_location_map_uses_the_portals_own_basemap_and_no_tile_server(admin_client, settings):
    html = admin_client.get(reverse("wagtailsnippets_atlas_partnerauthority:add")).text
    assert "/static/vendor/world-atlas/countries-50m.json" in html
    assert "/static/vendor/topojson-client/topojson-client.min.js" in html
    assert "/static/atlas/js/admin-location-map.js" in html
    assert "tile.openstreetmap" not in html
    assert "unpkg.com" not in html


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("", PLACE_IT),
        ("SRID=4326;POINT(200 95)", "Latitude runs from -90 to 90 and longitude from -180 to 180."),
        ("somewhere", "This location cannot be read: click the map to place the point again."),
    ],
)
def test_a_partner_without_a_usable_location_is_refused_in_french(admin_client, location, message):
    response = admin_client.post(
        reverse("wagtailsnippets_atlas_partnerauthority:add"), partner_data("Kaffrine", location=location)
    )
    assert response.status_code == 200
    assert in_french(message) in response.text
    assert 'value="Kaffrine"' in response.text
    assert not PartnerAuthority.objects.exists()


def test_an_authority_without_a_location_is_refused_in_french(admin_client):
    from atlas.models import Authority

    response = admin_client.post(
        reverse("wagtailsnippets_atlas_authority:add"),
        {"name": "Ville de Nulle-Part", "kind": "commune", "code": "", "region": "53", "departement": "35",
         "website": "", "population": "", "location": ""},
    )  # fmt: skip
    assert response.status_code == 200
    assert in_french(PLACE_IT) in response.text
    assert not Authority.objects.filter(name="Ville de Nulle-Part").exists()


def test_an_embassy_agent_sees_the_partners_it_created(client, db):
    from tests.accounts.factories import EmbassyFactory, agent_of

    senegal = Country.objects.get(code="SN")
    agent = agent_of(EmbassyFactory(name="Ambassade de France au Sénégal", countries=[senegal]))
    client.force_login(agent)
    response = client.post(reverse("wagtailsnippets_atlas_partnerauthority:add"), partner_data("Kaffrine"))
    assert response.status_code == 302, response.text[:2000]
    partner = PartnerAuthority.objects.get(name="Kaffrine")
    assert (partner.latitude, partner.longitude) == (14.15, -16.07)
    listing = client.get(reverse("wagtailsnippets_atlas_partnerauthority:list")).text
    assert "Kaffrine" in listing
    assert (
        client.get(reverse("wagtailsnippets_atlas_partnerauthority:edit", args=[partner.pk])).status_code
        == 200
    )


def test_deleting_an_authority_an_organisation_needs_is_refused_in_french(admin_client):
    from portal.accounts.models import Organisation
    from tests.atlas.factories import AuthorityFactory

    authority = AuthorityFactory(name="Ville de Rennes")
    Organisation.objects.create(name="Mairie de Rennes", kind="local_authority", authority=authority)
    url = reverse("wagtailsnippets_atlas_authority:delete", args=[authority.pk])
    response = admin_client.post(url, follow=True)
    assert response.status_code == 200
    assert (
        "« Ville de Rennes » ne peut pas être supprimé : encore nécessaire à Mairie de Rennes."
        in response.text
    )
    assert authority.__class__.objects.filter(pk=authority.pk).exists()
