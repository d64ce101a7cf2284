"""Every demo account does its role's work right after `manage.py demo`; the Délégation manages the
organisations and the membership requests in the admin; members-only pages explain themselves."""

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from atlas.models import Country, ExportJob
from portal.accounts.models import Membership, Organisation, SavedExport
from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory, agent_of
from tests.atlas.factories import AuthorityFactory
from tests.tourism.test_contributions import new_experience
from tourism.models import ExperiencePage


def fr(message):
    with translation.override("fr"):
        return str(translation.gettext(message))


def user(username):
    return get_user_model().objects.get(username=username)


def approved(username):
    return (
        Membership.objects.approved().select_related("organisation").get(user__username=username).organisation
    )


# The demo agents and their organisations --------------------------------------------------------------------


def test_demo_agents_act_for_real_organisations_and_can_open_their_work(client, demo_site, capsys):
    authority_org = approved("demo.authority.agent")
    assert authority_org.kind == Organisation.Kind.LOCAL_AUTHORITY
    assert authority_org.authority is not None
    embassy = approved("demo.embassy.agent")
    assert embassy.kind == Organisation.Kind.EMBASSY
    assert set(embassy.countries.values_list("code", flat=True)) == {"SN"}
    prefecture = approved("demo.prefecture.agent")
    assert prefecture.kind == Organisation.Kind.PREFECTURE
    assert prefecture.region == "53"
    assert approved("demo.ministry.agent").kind == Organisation.Kind.MINISTRY
    assert Organisation.objects.filter(kind=Organisation.Kind.OPERATOR).exists()

    # The authority agent's records page lists its authority (it answered "not allowed" before).
    client.force_login(user("demo.authority.agent"))
    response = client.get("/admin/atlas/mes-fiches/")
    assert response.status_code == 200
    assert authority_org.authority.name in response.text
    # The embassy agent sees the projects whose partner is in Senegal, and may add one.
    client.force_login(user("demo.embassy.agent"))
    response = client.get(reverse("wagtailsnippets_atlas_project:list"))
    assert response.status_code == 200
    assert "Sénégal" in response.text
    assert client.get(reverse("wagtailsnippets_atlas_cooperation:add")).status_code == 200

    # Run again: nothing is duplicated, and each agent's organisation is printed.
    counts = (Organisation.objects.count(), Membership.objects.count())
    call_command("demo")
    assert (Organisation.objects.count(), Membership.objects.count()) == counts
    out = capsys.readouterr().out
    for username, organisation in (
        ("demo.authority.agent", authority_org),
        ("demo.embassy.agent", embassy),
        ("demo.prefecture.agent", prefecture),
    ):
        line = next(line for line in out.splitlines() if username in line)
        assert organisation.name in line


def test_the_demo_member_writes_an_experience_and_keeps_a_pdf(client, demo_site):
    """The five demo experiences are the member's, but not written today through the site: no cap reached."""
    member = user("demo.member")
    assert ExperiencePage.objects.filter(owner=member, locale__language_code="fr").count() == 5
    client.force_login(member)
    response = client.get(reverse("tourism:create"))
    assert response.status_code == 200
    response = client.post(reverse("tourism:create"), new_experience(title="Écrit juste après la démo"))
    assert response.status_code == 302
    assert ExperiencePage.objects.filter(owner=member, title="Écrit juste après la démo").exists()
    # His list names each of his six experiences once (not their English tree's aliases too).
    listing = client.get(reverse("tourism:contributions"))
    assert len(listing.context["rows"]) == 6

    # A small search's PDF is kept in the space at once (before, only background exports could be kept).
    senegal = Country.objects.get(code="SN")
    response = client.post(reverse("atlas_data:projects_pdf_keep"), {"query": f"country={senegal.slug}"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:personal_space")
    saved = SavedExport.objects.get(owner=member)
    assert saved.job.status == ExportJob.Status.DONE
    assert saved.job.total > 0
    assert saved.job.query == f"country={senegal.slug}"
    space = client.get(reverse("accounts:personal_space")).text
    download = reverse("accounts:personal_export_download", args=[saved.pk])
    assert download in space
    pdf = client.get(download)
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


# The members-only page ------------------------------------------------------------------------------------


def test_a_member_without_the_role_is_told_how_to_join_never_sent_to_log_in(client, demo_site):
    response = client.get("/espace-membres/")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")

    outsider = UserFactory()
    client.force_login(outsider)
    response = client.get("/espace-membres/")
    assert response.status_code == 403
    assert reverse("accounts:join") == "/compte/organisations/rejoindre/"
    assert 'href="/compte/organisations/rejoindre/"' in response.text
    assert "Espace membres" in response.text
    assert "Membres" in response.text
    assert "Calendrier des comités" not in response.text
    assert "no-cache" in response["Cache-Control"]
    # The login page would send a logged-in visitor straight back: it must not be where the page leads.
    assert "/compte/connexion/?next=" not in response.text

    outsider.groups.add(Group.objects.get(name="Membres"))
    assert "Calendrier des comités" in client.get("/espace-membres/").text


# The Délégation's admin of organisations and memberships ----------------------------------------------------


@pytest.fixture
def delegation(db):
    admin = UserFactory(username="delegation@example.org")
    group, _ = Group.objects.get_or_create(name="Administrateurs de la Délégation")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    admin.groups.add(group)
    return admin


@pytest.fixture
def pending(db):
    return MembershipFactory(
        organisation=OrganisationFactory(name="Ville de Rennes"),
        status=Membership.Status.PENDING,
        message="Chargée des relations internationales",
    )


def refused(response):
    # Wagtail answers a refused admin URL with a 403 or a redirect (to the dashboard with a message, or to the
    # admin login for an account without admin access); the data is checked unchanged afterwards.
    return response.status_code in (302, 403)


def test_the_delegation_creates_an_organisation_in_the_admin(client, delegation):
    authority = AuthorityFactory(name="Rennes")
    client.force_login(delegation)
    index = client.get(reverse("organisations:index"))
    assert index.status_code == 200
    response = client.post(
        reverse("organisations:add"),
        {"name": "Ville de Rennes", "kind": "local_authority", "authority": authority.pk, "region": "53"},
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    organisation = Organisation.objects.get(name="Ville de Rennes")
    assert organisation.authority == authority
    assert organisation.region == "53"
    # A local authority without its Authority is a form error, not a 500.
    response = client.post(
        reverse("organisations:add"), {"name": "Sans collectivité", "kind": "local_authority"}
    )
    assert response.status_code == 200
    assert not Organisation.objects.filter(name="Sans collectivité").exists()
    # Search and filter by kind.
    OrganisationFactory(name="Ambassade de France au Mali", kind="embassy", authority=None)
    listing = client.get(reverse("organisations:index"), {"kind": "embassy"}).text
    assert "Ambassade de France au Mali" in listing
    assert "Ville de Rennes" not in listing
    listing = client.get(reverse("organisations:index"), {"q": "Rennes"}).text
    assert "Ville de Rennes" in listing
    assert "Ambassade de France au Mali" not in listing


def test_the_delegation_approves_a_request_from_the_admin(client, delegation, pending, mailoutbox):
    client.force_login(delegation)
    listing = client.get(reverse("memberships:index"), {"status": "pending"})
    assert listing.status_code == 200
    decide_url = reverse("memberships:decide", args=[pending.pk])
    assert decide_url in listing.text
    page = client.get(decide_url)
    assert page.status_code == 200
    assert "Chargée des relations internationales" in page.text
    response = client.post(decide_url, {"decision": "approve"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Membership.Status.APPROVED
    assert pending.decided_by == delegation
    # The same service as the managers': the agents' group, and an e-mail to the member.
    assert pending.user.groups.filter(name="Agents de collectivité").exists()
    assert mailoutbox[-1].to == [pending.user.email]
    # Decided once: a second decision changes nothing.
    client.post(decide_url, {"decision": "refuse"})
    pending.refresh_from_db()
    assert pending.status == Membership.Status.APPROVED
    # Bad input is a form error, not a 500.
    other = MembershipFactory(status=Membership.Status.PENDING)
    assert client.post(reverse("memberships:decide", args=[other.pk]), {"decision": "oui"}).status_code == 400
    other.refresh_from_db()
    assert other.status == Membership.Status.PENDING


@pytest.mark.parametrize("role", ["member", "authority_manager", "embassy_agent"])
def test_other_roles_neither_see_nor_use_the_delegations_menus(client, pending, role):
    if role == "member":
        someone = UserFactory()
        someone.groups.add(Group.objects.get_or_create(name="Membres")[0])
    elif role == "authority_manager":
        # Even the manager of the very organisation asked for: they decide on their dashboard, not here.
        someone = agent_of(pending.organisation, role=Membership.Role.MANAGER)
    else:
        someone = agent_of(OrganisationFactory(kind="embassy", authority=None))
    client.force_login(someone)
    if role != "member":
        dashboard = client.get("/admin/")
        assert dashboard.status_code == 200
        assert reverse("organisations:index") not in dashboard.text
        assert reverse("memberships:index") not in dashboard.text
    for url in (
        reverse("organisations:index"),
        reverse("organisations:add"),
        reverse("organisations:edit", args=[pending.organisation.pk]),
        reverse("memberships:index"),
        reverse("memberships:decide", args=[pending.pk]),
    ):
        assert refused(client.get(url)), url
    name = pending.organisation.name
    assert refused(
        client.post(
            reverse("organisations:edit", args=[pending.organisation.pk]), {"name": "Piratée", "kind": "ngo"}
        )
    )
    assert refused(client.post(reverse("organisations:add"), {"name": "Nouvelle", "kind": "ngo"}))
    assert refused(client.post(reverse("organisations:delete", args=[pending.organisation.pk])))
    assert refused(client.post(reverse("memberships:decide", args=[pending.pk]), {"decision": "approve"}))
    pending.refresh_from_db()
    pending.organisation.refresh_from_db()
    assert pending.status == Membership.Status.PENDING
    assert pending.decided_by is None
    assert pending.organisation.name == name
    assert not Organisation.objects.filter(name="Nouvelle").exists()
    assert not pending.user.groups.exists()
