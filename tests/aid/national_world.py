"""The world of the national e-APD tests: authorities in Bretagne and elsewhere, filed declarations, a draft
that must never count, an open window, and one user per role."""

from datetime import timedelta

import pytest

from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from atlas.aid import codes
from atlas.aid.models import AidDeclaration, AidWindow
from atlas.models import Country
from portal.accounts.scope import DELEGATION_GROUP
from tests.accounts.factories import EmbassyFactory, OrganisationFactory, UserFactory, agent_of
from tests.atlas.factories import AidDeclarationFactory, AidLineFactory, AuthorityFactory

FILED = AidDeclaration.Status.FILED
DRAFT = AidDeclaration.Status.DRAFT
YEAR = 2024


def filed(authority, year, **kwargs):
    return AidDeclarationFactory(
        authority=authority, year=year, status=FILED, filed_at=timezone.now(), **kwargs
    )


def group_member(name):
    user = UserFactory()
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    return user


class World:
    pass


def build_world():
    w = World()
    burkina, senegal = Country.objects.get(code="BF"), Country.objects.get(code="SN")
    w.burkina, w.senegal = burkina, senegal
    now = timezone.now()
    w.window = AidWindow.objects.create(
        year=YEAR, opens_at=now - timedelta(days=10), closes_at=now + timedelta(days=20)
    )
    # Bretagne (région 53): Rennes late (an agent, nothing filed), Quimper filed.
    w.rennes_org = OrganisationFactory(
        name="Ville de Rennes", authority=AuthorityFactory(name="Rennes", region="53", departement="35")
    )
    w.rennes = w.rennes_org.authority
    w.quimper = AuthorityFactory(name="Quimper", region="53", departement="29")
    declaration = filed(w.quimper, YEAR)
    AidLineFactory(declaration=declaration, country=burkina, amount=10000, purpose="14031")
    AidLineFactory(
        declaration=declaration,
        country=None,
        channel=codes.MULTILATERAL,
        multilateral_body="41122",
        amount=5000,
        purpose="12220",
    )
    # Elsewhere: Lyon filed two years, Bordeaux late with an agent, a draft that must never count.
    w.lyon = AuthorityFactory(name="Lyon", region="84", departement="69")
    lyon_2024 = filed(w.lyon, YEAR)
    AidLineFactory(
        declaration=lyon_2024,
        country=senegal,
        channel=codes.NGO,
        amount=20000,
        purpose="12220",
        marker_gender=2,
    )
    AidLineFactory(declaration=filed(w.lyon, YEAR - 1), country=burkina, amount=7000)
    w.bordeaux_org = OrganisationFactory(
        name="Ville de Bordeaux", authority=AuthorityFactory(name="Bordeaux", region="75", departement="33")
    )
    w.bordeaux = w.bordeaux_org.authority
    w.drafty = AuthorityFactory(name="Brouillonville", region="53", departement="35")
    AidLineFactory(
        declaration=AidDeclarationFactory(authority=w.drafty, year=YEAR, status=DRAFT),
        country=senegal,
        amount=999999,
    )
    # "No aid this year" is a declaration too.
    w.nantes = AuthorityFactory(name="Nantes", region="52", departement="44")
    filed(w.nantes, YEAR, no_aid=True)

    w.users = {
        "anonymous": None,
        "member": UserFactory(),
        "authority_agent": agent_of(w.rennes_org),
        "embassy_agent": agent_of(EmbassyFactory(name="Ambassade au Sénégal", countries=[senegal])),
        "prefecture_agent": agent_of(
            OrganisationFactory(name="Préfecture de Bretagne", kind="prefecture", authority=None, region="53")
        ),
        "ministry_agent": agent_of(OrganisationFactory(name="MEAE", kind="ministry", authority=None)),
        "operator_agent": agent_of(OrganisationFactory(name="AFD", kind="operator", authority=None)),
        "delegation_admin": group_member(DELEGATION_GROUP),
    }
    w.rennes_agent = w.users["authority_agent"]
    w.bordeaux_agent = agent_of(w.bordeaux_org)
    return w


@pytest.fixture
def world(db):
    return build_world()


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client
