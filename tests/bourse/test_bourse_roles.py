"""Who may do what in the Bourse-projets: one table, every role and every URL of the public Bourse and of its
member pages; a refusal changes nothing. (The admin's Bourse projects are in the table of
tests/accounts/test_permission_table.py.)

The public reads the Bourse and its exports; authority agents express interest; the embassy of the project's
country and the Délégation see who is interested, put them in touch and record the partnership; every member
keeps e-mail alerts, and deletes only their own."""

from datetime import timedelta
from types import SimpleNamespace

import pytest

from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from atlas.bourse.links import bourse_url
from atlas.bourse.models import BourseAlert, BourseContactRequest, BourseInterest, BourseProject
from atlas.models import Country
from portal.accounts.models import Organisation
from portal.accounts.scope import DELEGATION_GROUP
from tests.accounts.factories import EmbassyFactory, OrganisationFactory, UserFactory, agent_of
from tests.atlas.factories import AuthorityFactory, BoursePageFactory, PartnerAuthorityFactory

ROLES = [
    "anonymous",
    "member",
    "authority_agent",
    "embassy_agent",
    "other_embassy_agent",
    "prefecture_agent",
    "ministry_agent",
    "delegation_admin",
]
EVERYONE = set(ROLES)
MEMBERS = EVERYONE - {"anonymous"}
MANAGERS = {"embassy_agent", "delegation_admin"}

# Action -> (method, who is allowed). A GET allowed answers 200; a POST allowed makes its change (CHANGES).
# "manage" is the embassy's list: any embassy and the Délégation open it, but the project's interests show to
# its own embassy's agents and the Délégation only.
TABLE = {
    "bourse_page": ("get", EVERYONE),
    "project_page": ("get", EVERYONE),
    # A visitor's interest without an account: anyone writes to the project's embassy.
    "contact_form": ("get", EVERYONE),
    "contact": ("post", EVERYONE),
    "csv": ("get", EVERYONE),
    "json": ("get", EVERYONE),
    "manage": ("get", MANAGERS | {"other_embassy_agent"}),
    "alerts": ("get", MEMBERS),
    "interest": ("post", {"authority_agent"}),
    "put_in_touch": ("post", MANAGERS),
    "partnership": ("post", MANAGERS),
    "alert_create": ("post", MEMBERS),
    "alert_delete": ("post", {"member"}),
}


@pytest.fixture
def world(home):
    burkina, mali = Country.objects.get(code="BF"), Country.objects.get(code="ML")
    embassy = EmbassyFactory(name="Ambassade de France au Burkina Faso", countries=[burkina])
    lyon = OrganisationFactory(authority__name="Ville de Lyon")
    users = {
        "anonymous": None,
        "member": UserFactory(),
        "authority_agent": agent_of(lyon),
        "embassy_agent": agent_of(embassy),
        "other_embassy_agent": agent_of(EmbassyFactory(name="Ambassade de France au Mali", countries=[mali])),
        "prefecture_agent": agent_of(
            OrganisationFactory(
                name="Préfecture de la région Bretagne",
                kind=Organisation.Kind.PREFECTURE,
                authority=None,
                region="53",
            )
        ),
        "ministry_agent": agent_of(
            OrganisationFactory(name="MEAE", kind=Organisation.Kind.MINISTRY, authority=None)
        ),
        "delegation_admin": UserFactory(),
    }
    users["delegation_admin"].groups.add(Group.objects.get_or_create(name=DELEGATION_GROUP)[0])
    BoursePageFactory(parent=home, slug="bourse-projets")
    project = BourseProject.objects.create(
        partner=PartnerAuthorityFactory(country=burkina),
        embassy=embassy,
        title="Gestion des déchets à Koudougou",
        summary="Une filière de collecte et de valorisation des déchets ménagers.",
        expires_on=timezone.localdate() + timedelta(days=60),
        live=True,
    )
    # Rennes is interested already: the embassy's side acts on this interest.
    interest = BourseInterest.objects.create(
        project=project, authority=AuthorityFactory(name="Ville de Rennes"), message="Notre régie de l’eau."
    )
    alert = BourseAlert.objects.create(
        user=users["member"], title="Burkina", query_string="country=burkina-faso"
    )
    return SimpleNamespace(users=users, project=project, interest=interest, alert=alert)


def url_of(action, world):
    return {
        "bourse_page": bourse_url("projects"),
        "project_page": bourse_url("project", world.project.pk),
        "contact_form": bourse_url("contact", world.project.pk),
        "contact": bourse_url("contact", world.project.pk),
        "csv": reverse("atlas_data:bourse_csv"),
        "json": reverse("atlas_data:bourse_json"),
        "manage": reverse("accounts:bourse_projects"),
        "alerts": reverse("accounts:bourse_alerts"),
        "interest": reverse("accounts:bourse_interest", args=[world.project.pk]),
        "put_in_touch": reverse("accounts:bourse_put_in_touch", args=[world.interest.pk]),
        "partnership": reverse("accounts:bourse_partnership", args=[world.interest.pk]),
        "alert_create": reverse("accounts:bourse_alerts"),
        "alert_delete": reverse("accounts:bourse_alert_delete", args=[world.alert.pk]),
    }[action]


# What each POST changes, among the keys of state().
CHANGES = {
    "contact": {"contact_requests"},
    "interest": {"interests"},
    "put_in_touch": {"put_in_touch"},
    "partnership": {"partnership"},
    "alert_create": {"alerts"},
    "alert_delete": {"alerts"},
}
POSTED = {
    "contact": {
        "name": "Awa Ouédraogo",
        "organisation": "Commune de Koudougou",
        "country": "burkina-faso",
        "email": "awa@example.org",
        "message": "We would like to work with you.",
        "consent": "on",
    },
    "interest": {"message": "Nous avons une régie des déchets."},
    "alert_create": {"title": "Tout le Burkina"},
}


def state(world):
    """What a POST may change, read again from the database."""
    interest = BourseInterest.objects.get(pk=world.interest.pk)
    return {
        "interests": set(BourseInterest.objects.values_list("pk", flat=True)),
        "put_in_touch": interest.put_in_touch_at is not None,
        "partnership": BourseProject.objects.get(pk=world.project.pk).status,
        "alerts": set(BourseAlert.objects.values_list("pk", flat=True)),
        "contact_requests": set(BourseContactRequest.objects.values_list("pk", flat=True)),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(TABLE))
def test_role_table(client, world, role, action, mailoutbox):
    method, allowed = TABLE[action]
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    url = url_of(action, world)
    if method == "get":
        response = client.get(url)
        if role in allowed:
            assert response.status_code == 200, (role, action)
            if action == "manage":
                # Who is interested shows to the project's own embassy and the Délégation only.
                assert ("Ville de Rennes" in response.text) is (role in MANAGERS), role
        elif role == "anonymous":
            assert response.status_code == 302, action
            assert response["Location"].startswith(reverse("accounts:login")), action
        else:
            assert response.status_code == 403, (role, action)
        return
    before = state(world)
    response = client.post(url, POSTED.get(action, {}))
    after = state(world)
    changed = {key for key in before if before[key] != after[key]}
    if role in allowed:
        assert response.status_code == 302, (role, action)
        assert changed == CHANGES[action], (role, action, changed)
    else:
        assert changed == set(), (role, action, changed)
        assert not mailoutbox, (role, action)
        if role == "anonymous":
            assert response["Location"].startswith(reverse("accounts:login")), action
        else:
            # Outside their reach an object is not found; a right they lack is refused.
            assert response.status_code in (403, 404), (role, action, response.status_code)
