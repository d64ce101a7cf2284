"""The organisation rule in the Wagtail admin, tried for each role through the admin URLs directly.

A refused attempt must leave nothing changed: no row, no revision, no log entry."""

import pytest

from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse

from wagtail.models import ModelLogEntry, Revision

from atlas.models import Authority, Contact, Cooperation, Country, Project, Theme
from portal.accounts.scope import DELEGATION_GROUP
from tests.accounts.factories import EmbassyFactory, OrganisationFactory, UserFactory, agent_of
from tests.atlas.factories import (
    ContactFactory,
    CooperationFactory,
    PartnerAuthorityFactory,
    ProjectFactory,
)

OBJECT_VIEWS = ["edit", "delete", "history", "usage", "revisions_compare", "lock", "unlock"]


@pytest.fixture
def world(db):
    """Two authorities with their records; a partner in Senegal and one in Mali."""
    senegal, mali = Country.objects.get(code="SN"), Country.objects.get(code="ML")
    ours, theirs = OrganisationFactory(name="Ville de Rennes"), OrganisationFactory(name="Ville de Lyon")
    our_project = ProjectFactory(
        cooperation=CooperationFactory(
            authority=ours.authority, partner=PartnerAuthorityFactory(country=senegal)
        )
    )
    their_project = ProjectFactory(
        cooperation=CooperationFactory(
            authority=theirs.authority, partner=PartnerAuthorityFactory(country=mali)
        )
    )
    return {
        "ours": ours,
        "theirs": theirs,
        "our_project": our_project,
        "their_project": their_project,
        "our_contact": ContactFactory(authority=ours.authority),
        "their_contact": ContactFactory(authority=theirs.authority),
        "senegal": senegal,
        "mali": mali,
    }


def snapshot():
    return {
        "rows": [m.objects.count() for m in (Authority, Contact, Cooperation, Project)],
        "titles": sorted(Project.objects.values_list("title", flat=True)),
        "names": sorted(Contact.objects.values_list("last_name", flat=True)),
        "locked": sorted(Project.objects.values_list("locked", flat=True)),
        "revisions": Revision.objects.count(),
        "logs": ModelLogEntry.objects.count(),
    }


def admin_url(model, view, pk=None):
    name = f"wagtailsnippets_atlas_{model._meta.model_name}:{view}"
    if view == "revisions_compare":
        return reverse(name, args=[pk, "earliest", "latest"])
    return reverse(name, args=[pk] if pk is not None else [])


def users(world):
    delegation = UserFactory()
    delegation.groups.add(Group.objects.get_or_create(name=DELEGATION_GROUP)[0])
    from django.contrib.auth.models import Permission

    delegation.groups.get().permissions.add(Permission.objects.get(codename="access_admin"))
    return {
        "authority_agent": agent_of(world["ours"]),
        "embassy_agent_senegal": agent_of(
            EmbassyFactory(name="Ambassade au Sénégal", countries=[world["senegal"]])
        ),
        "delegation": delegation,
    }


def outsider_targets(world, role):
    """The records each role must not touch: the other authority's, and for the embassy, Mali's."""
    return [
        (Project, world["their_project"].pk),
        (Cooperation, world["their_project"].cooperation_id),
        (Contact, world["their_contact"].pk),
        (Authority, world["theirs"].authority_id),
    ] + (
        [(Authority, world["ours"].authority_id), (Contact, world["our_contact"].pk)]
        if role == "embassy_agent_senegal"
        else []
    )


@pytest.mark.parametrize("role", ["authority_agent", "embassy_agent_senegal"])
def test_listings_show_only_the_scope(client, world, role):
    client.force_login(users(world)[role])
    html = client.get(admin_url(Project, "list")).text
    assert world["our_project"].title in html
    assert world["their_project"].title not in html


@pytest.mark.parametrize("role", ["authority_agent", "embassy_agent_senegal"])
@pytest.mark.parametrize("view", OBJECT_VIEWS)
def test_object_urls_of_another_organisation_are_refused_and_change_nothing(client, world, role, view):
    client.force_login(users(world)[role])
    before = snapshot()
    tried = 0
    for model, pk in outsider_targets(world, role):
        try:
            url = admin_url(model, view, pk)
        except NoReverseMatch:  # contacts have no revisions nor locking
            continue
        tried += 1
        assert client.get(url).status_code in (302, 403, 404), url
        response = client.post(url, {"title": "Piraté", "last_name": "Piraté", "name": "Piraté"})
        assert response.status_code in (302, 403, 404), url
        if response.status_code == 302:  # Wagtail sends refused users to the dashboard with a message
            assert response["Location"] != admin_url(model, "list")
    assert tried
    assert snapshot() == before


@pytest.mark.parametrize("role", ["authority_agent", "embassy_agent_senegal"])
def test_creating_a_cooperation_for_another_authority_is_refused(client, world, role):
    client.force_login(users(world)[role])
    before = snapshot()
    response = client.post(
        admin_url(Cooperation, "add"),
        {
            "authority": world["theirs"].authority_id,
            "partner": world["their_project"].cooperation.partner_id,
            "kind": "cooperation",
            "since_year": 2020,
        },
    )
    assert response.status_code in (200, 403)
    assert snapshot() == before


def test_authority_agent_edits_its_own_project(client, world):
    client.force_login(users(world)["authority_agent"])
    project = world["our_project"]
    response = client.post(
        admin_url(Project, "edit", project.pk),
        {
            "cooperation": project.cooperation_id,
            "title": "Forages à Kaolack",
            "summary": "Nouveaux forages.",
            "themes": [Theme.objects.first().pk],
            "status": "ongoing",
            "start_year": 2019,
            "end_year": "",
            "budget": "",
            "funding_framework": "",
        },
    )
    assert response.status_code == 302, response.text[:2000]
    project.refresh_from_db()
    assert project.title == "Forages à Kaolack"
    assert ModelLogEntry.objects.filter(object_id=str(project.pk), user=response.wsgi_request.user).exists()


def test_embassy_agent_edits_a_project_whose_partner_is_in_its_country(client, world):
    client.force_login(users(world)["embassy_agent_senegal"])
    assert client.get(admin_url(Project, "edit", world["our_project"].pk)).status_code == 200


def test_delegation_sees_and_opens_everything(client, world):
    client.force_login(users(world)["delegation"])
    html = client.get(admin_url(Project, "list")).text
    assert world["our_project"].title in html and world["their_project"].title in html
    assert client.get(admin_url(Project, "edit", world["their_project"].pk)).status_code == 200


@pytest.mark.parametrize("role", ["member", "prefecture_agent"])
def test_roles_without_atlas_scope_cannot_reach_atlas_records(client, world, role):
    user = UserFactory()
    if role == "prefecture_agent":
        from tests.accounts.factories import OrganisationFactory as Org

        user = agent_of(Org(name="Préfecture d’Ille-et-Vilaine", kind="prefecture", authority=None))
    client.force_login(user)
    before = snapshot()
    for view in ("edit", "delete"):
        response = client.post(admin_url(Project, view, world["our_project"].pk), {"title": "Piraté"})
        assert response.status_code in (302, 403)
    assert client.get(admin_url(Project, "list")).status_code in (302, 403)
    assert snapshot() == before


def test_development_aid_is_read_only_for_its_authority_and_hidden_from_others(client, world):
    from tests.atlas.factories import AidLineFactory

    ours = AidLineFactory(declaration__authority=world["ours"].authority).declaration
    theirs = AidLineFactory(declaration__authority=world["theirs"].authority).declaration
    client.force_login(users(world)["authority_agent"])
    url = "wagtailsnippets_atlas_aiddeclaration:{}".format
    listing = client.get(reverse(url("list"))).text
    assert f"/inspect/{ours.pk}/" in listing and f"/inspect/{theirs.pk}/" not in listing
    assert client.get(reverse(url("inspect"), args=[ours.pk])).status_code == 200
    assert client.get(reverse(url("inspect"), args=[theirs.pk])).status_code in (302, 403)
    before = snapshot()
    response = client.post(reverse(url("edit"), args=[ours.pk]), {"year": 1999})
    assert response.status_code in (302, 403)
    ours.refresh_from_db()
    assert ours.year == 2024 and snapshot() == before
