"""The Atlas search's form keeps the HTML of the fields a search leaves empty, per Atlas version and language
(portal.core.filters.PortalFilterSet.field_groups): what a reader sees of the form is the same as rendered
afresh, a country that gets its first partner is offered at once, and a chosen or faulty field is always
rendered with the reader's value."""

import re

import pytest

from atlas.models import Country
from tests.atlas.factories import (
    CooperationFactory,
    PartnerAuthorityFactory,
    ProjectFactory,
)

NO_CACHE = {"cache-control": "no-cache"}


@pytest.fixture
def senegal_project(atlas):
    senegal = Country.objects.get(code="SN")
    return ProjectFactory(cooperation=CooperationFactory(partner=PartnerAuthorityFactory(country=senegal)))


def country_options(html):
    select = re.search(r'<select[^>]*name="country"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def search(client, atlas, query=""):
    response = client.get(f"{atlas.url}recherche/?{query}", headers=NO_CACHE)
    assert response.status_code == 200
    return response.text


def test_a_country_with_its_first_partner_is_offered_at_once(client, atlas, senegal_project):
    assert "Sénégal" in country_options(search(client, atlas))
    assert "Mali" not in country_options(search(client, atlas))
    ProjectFactory(
        cooperation=CooperationFactory(
            partner=PartnerAuthorityFactory(country=Country.objects.get(code="ML"))
        )
    )
    assert "Mali" in country_options(search(client, atlas))


def test_the_kept_fields_are_the_fields_rendered_afresh(client, atlas, senegal_project, settings):
    first = search(client, atlas, "q=eau")
    again = search(client, atlas, "q=forage")  # the empty fields come from the cache now
    form = re.compile(r'<form method="get".*?</form>', re.S)
    assert form.search(first).group(0).replace('value="eau"', 'value="forage"') == form.search(again).group(0)


def test_a_chosen_or_faulty_field_shows_the_readers_value(client, atlas, senegal_project):
    search(client, atlas)  # every field kept empty
    chosen = search(client, atlas, "country=senegal&year_from=deux-mille")
    assert re.search(r'<option value="senegal" selected>Sénégal</option>', chosen)
    assert 'value="deux-mille"' in chosen
    assert "Saisissez un nombre" in chosen
    assert 'aria-invalid="true"' in chosen


def test_the_english_form_is_kept_apart(client, atlas, senegal_project):
    search(client, atlas)
    english = client.get(f"/en{atlas.url}recherche/", headers=NO_CACHE).text
    assert "Senegal" in country_options(english)
    assert "All countries" in english
