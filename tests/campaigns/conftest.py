"""The world of the campaign tests: authorities in Bretagne (the prefecture's territory) and elsewhere, their
agents and contacts, a prefecture of région, a ministry, and a campaign open now."""

import datetime

import pytest

from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from atlas.campaigns.models import UpdateCampaign
from portal.accounts.scope import DELEGATION_GROUP
from tests.accounts.factories import OrganisationFactory, UserFactory, agent_of
from tests.atlas.factories import AuthorityFactory, ContactFactory


def days(n):
    return datetime.timedelta(days=n)


@pytest.fixture
def world(db):
    rennes = AuthorityFactory(name="Ville de Rennes", region="53", departement="35")
    brest = AuthorityFactory(name="Brest Métropole", kind="epci", region="53", departement="29")
    bretagne = AuthorityFactory(name="Région Bretagne", kind="region", region="53", departement="")
    lyon = AuthorityFactory(name="Ville de Lyon", region="84", departement="69")
    rennes_org = OrganisationFactory(name="Ville de Rennes", authority=rennes)
    lyon_org = OrganisationFactory(name="Ville de Lyon", authority=lyon)
    prefecture = OrganisationFactory(
        name="Préfecture de la région Bretagne",
        kind="prefecture",
        authority=None,
        region="53",
        departement="35",
    )
    ministry = OrganisationFactory(name="MEAE", kind="ministry", authority=None)
    operator = OrganisationFactory(name="AFD", kind="operator", authority=None)
    embassy = OrganisationFactory(name="Ambassade au Sénégal", kind="embassy", authority=None)
    delegation = UserFactory(username="delegation@example.org")
    group, _ = Group.objects.get_or_create(name=DELEGATION_GROUP)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    delegation.groups.add(group)
    people = {
        "authority_agent": agent_of(rennes_org),
        "other_authority_agent": agent_of(lyon_org),
        "prefecture_agent": agent_of(prefecture),
        "ministry_agent": agent_of(ministry),
        "operator_agent": agent_of(operator),
        "embassy_agent": agent_of(embassy),
        "member": UserFactory(username="membre@example.org"),
        "delegation_admin": delegation,
    }
    ContactFactory(authority=rennes, email="Maire@Rennes.fr")
    # The same person, recorded twice, and an agent who is also a contact: one e-mail each.
    ContactFactory(authority=brest, email="relations@brest.fr")
    ContactFactory(authority=bretagne, email="relations@brest.fr")
    ContactFactory(authority=lyon, email=people["other_authority_agent"].email.upper())
    ContactFactory(authority=lyon, email="")
    return {
        "rennes": rennes,
        "brest": brest,
        "bretagne": bretagne,
        "lyon": lyon,
        "prefecture": prefecture,
        **people,
    }


@pytest.fixture
def campaign(world):
    now = timezone.now()
    return UpdateCampaign.objects.create(
        year=now.year, opens_at=now - days(10), closes_at=now + days(30), message="Merci de vérifier."
    )
