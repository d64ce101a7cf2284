"""The téléprocédure: an agent confirms each part of its authority; conversions; the delete confirmation."""

import pytest

from django.urls import reverse

from wagtail.models import ModelLogEntry

from atlas.models import Cooperation, PartConfirmation
from tests.accounts.factories import OrganisationFactory, UserFactory, agent_of
from tests.atlas.factories import AtlasPageFactory, CooperationFactory, ProjectFactory


@pytest.fixture
def rennes(db):
    return OrganisationFactory(name="Ville de Rennes")


def test_agent_confirms_a_part_and_the_public_page_shows_it(client, rennes, home):
    atlas = AtlasPageFactory(parent=home, slug="atlas")
    agent = agent_of(rennes)
    client.force_login(agent)
    page = client.get(reverse("atlas_records")).text
    assert "Ville de Rennes" not in page or rennes.authority.name in page
    assert "J’ai vérifié cette partie" in page
    public = f"{atlas.url}collectivites/{rennes.authority.slug}/"
    assert "confirmée le" not in client.get(public).text
    response = client.post(reverse("atlas_confirm_part", args=[rennes.authority_id, "contacts"]))
    assert response.status_code == 302
    confirmation = PartConfirmation.objects.get()
    assert (confirmation.authority_id, confirmation.part, confirmation.confirmed_by) == (
        rennes.authority_id,
        "contacts",
        agent,
    )
    assert ModelLogEntry.objects.filter(action="atlas.part_confirmed", user=agent).exists()
    assert "Élus et cadres territoriaux : confirmée le" in client.get(public).text


@pytest.mark.parametrize("who", ["other_agent", "member"])
def test_others_cannot_confirm_a_part_and_nothing_is_recorded(client, rennes, who):
    user = agent_of(OrganisationFactory(name="Ville de Lyon")) if who == "other_agent" else UserFactory()
    client.force_login(user)
    response = client.post(reverse("atlas_confirm_part", args=[rennes.authority_id, "contacts"]))
    assert response.status_code in (302, 403)
    assert not PartConfirmation.objects.exists()
    assert not ModelLogEntry.objects.filter(action="atlas.part_confirmed").exists()


def test_external_action_becomes_a_cooperation_and_keeps_its_projects(client, rennes):
    action = CooperationFactory(authority=rennes.authority, kind="external_action")
    ProjectFactory(cooperation=action)
    ProjectFactory(cooperation=action)
    client.force_login(agent_of(rennes))
    client.post(reverse("atlas_convert_external_action", args=[action.pk]))
    action.refresh_from_db()
    assert action.kind == Cooperation.Kind.COOPERATION
    assert action.projects.count() == 2


def test_conversion_of_another_authoritys_action_is_refused(client, rennes):
    action = CooperationFactory(kind="external_action")
    client.force_login(agent_of(rennes))
    assert client.post(reverse("atlas_convert_external_action", args=[action.pk])).status_code in (302, 403)
    action.refresh_from_db()
    assert action.kind == Cooperation.Kind.EXTERNAL_ACTION


def test_deleting_a_cooperation_says_how_many_projects_go(client, rennes):
    cooperation = CooperationFactory(authority=rennes.authority)
    for _ in range(3):
        ProjectFactory(cooperation=cooperation)
    client.force_login(agent_of(rennes))
    page = client.get(reverse("wagtailsnippets_atlas_cooperation:delete", args=[cooperation.pk])).text
    assert "Ses 3 fiches-projets sont supprimées avec elle" in page
    client.post(reverse("wagtailsnippets_atlas_cooperation:delete", args=[cooperation.pk]))
    assert not Cooperation.objects.filter(pk=cooperation.pk).exists()
