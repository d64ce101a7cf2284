"""The members' side of the Bourse-projets: interest, putting in touch, partnership, suggestions, alerts."""

from datetime import timedelta
from io import StringIO

import pytest

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from atlas.bourse import matching as bourse_matching
from atlas.bourse.models import BourseAlert, BourseInterest, BourseProject
from atlas.models import Cooperation, Country, Project
from portal.accounts.scope import DELEGATION_GROUP
from tests.accounts.factories import (
    EmbassyFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    agent_of,
)
from tests.atlas.factories import (
    BoursePageFactory,
    CooperationFactory,
    PartnerAuthorityFactory,
    ProjectFactory,
    ThemeFactory,
)


def url(name, *args):
    return reverse(f"accounts:{name}", args=args)


def make_project(partner=None, embassy=None, themes=(), **fields):
    values = {
        "title": "Gestion des déchets à Koudougou",
        "summary": "Une filière de collecte et de valorisation des déchets ménagers.",
        "description": "Trois quartiers pilotes, un centre de tri.",
        "expires_on": timezone.localdate() + timedelta(days=60),
        "status": BourseProject.Status.OPEN,
        "live": True,
        "budget": 120000,
        **fields,
    }
    project = BourseProject(partner=partner or PartnerAuthorityFactory(), embassy=embassy, **values)
    project.save()
    if themes:
        project.themes.set(themes)
        project.save()
    return project


@pytest.fixture
def burkina(db):
    return Country.objects.get(code="BF")


@pytest.fixture
def mali(db):
    return Country.objects.get(code="ML")


@pytest.fixture
def embassy(burkina):
    return EmbassyFactory(name="Ambassade de France au Burkina Faso", countries=[burkina])


@pytest.fixture
def embassy_agent(embassy):
    return agent_of(embassy)


@pytest.fixture
def other_embassy_agent(mali):
    return agent_of(EmbassyFactory(name="Ambassade de France au Mali", countries=[mali]))


@pytest.fixture
def authority_org(db):
    return OrganisationFactory(authority__name="Ville de Lyon")


@pytest.fixture
def authority_agent(authority_org):
    user = agent_of(authority_org)
    user.first_name, user.last_name = "Claire", "Martin"
    user.save()
    return user


@pytest.fixture
def delegation_admin(db):
    user = UserFactory(email="delegation@example.org", username="delegation@example.org")
    user.groups.add(Group.objects.get_or_create(name=DELEGATION_GROUP)[0])
    return user


@pytest.fixture
def project(embassy, burkina):
    return make_project(partner=PartnerAuthorityFactory(country=burkina), embassy=embassy)


def express(client, user, project, message="Nous avons une régie des déchets.", **data):
    client.force_login(user)
    return client.post(url("bourse_interest", project.pk), {"message": message, **data})


# Interest --------------------------------------------------------------------------------------------------


def test_an_authority_agent_expresses_interest_and_the_embassy_and_delegation_are_told(
    client, project, authority_agent, authority_org, embassy_agent, delegation_admin, mailoutbox
):
    outsider = UserFactory()  # a member of no organisation: never told
    response = express(client, authority_agent, project, next="/bourse/")
    assert response.status_code == 302
    assert response["Location"] == "/bourse/"
    interest = BourseInterest.objects.get()
    assert (interest.project, interest.authority, interest.user) == (
        project,
        authority_org.authority,
        authority_agent,
    )
    assert interest.message == "Nous avons une régie des déchets."
    assert sorted(m.to[0] for m in mailoutbox) == sorted([embassy_agent.email, delegation_admin.email])
    assert outsider.email not in [m.to[0] for m in mailoutbox]
    body = mailoutbox[0].body
    assert "Ville de Lyon" in body
    assert "Nous avons une régie des déchets." in body
    assert authority_agent.email in body
    assert project.title in mailoutbox[0].subject
    assert project.interests.count() == 1


def test_a_second_interest_of_the_same_authority_is_refused_with_a_message(
    client, project, authority_agent, embassy_agent, mailoutbox
):
    express(client, authority_agent, project)
    mailoutbox.clear()
    response = express(client, authority_agent, project, message="Encore nous.")
    assert response.status_code == 400
    assert (
        bourse_matching.duplicate_message(BourseInterest.objects.get().authority) in response.content.decode()
    )
    assert BourseInterest.objects.count() == 1
    assert mailoutbox == []


def test_the_service_refuses_a_duplicate_even_without_the_form(project, authority_agent, authority_org):
    bourse_matching.express_interest(authority_agent, project, authority_org.authority, "Premier message")
    with pytest.raises(bourse_matching.ValidationError):
        bourse_matching.express_interest(authority_agent, project, authority_org.authority, "Second")
    assert BourseInterest.objects.count() == 1


def test_anonymous_visitors_are_sent_to_log_in(client, project, mailoutbox):
    response = client.post(url("bourse_interest", project.pk), {"message": "Bonjour"})
    assert response.status_code == 302
    assert response["Location"].startswith(url("login"))
    assert not BourseInterest.objects.exists()
    assert mailoutbox == []


def test_members_without_an_authority_are_refused(
    client, project, embassy_agent, delegation_admin, authority_org, mailoutbox
):
    for user in (UserFactory(), embassy_agent, delegation_admin):
        response = express(client, user, project, authority=authority_org.authority.pk)
        assert response.status_code == 403
    # a pending membership does not count either
    pending = MembershipFactory(organisation=authority_org, status="pending").user
    assert express(client, pending, project).status_code == 403
    assert not BourseInterest.objects.exists()
    assert mailoutbox == []


def test_an_agent_of_several_authorities_chooses_one_of_theirs_only(client, project, authority_agent):
    second = OrganisationFactory(authority__name="Métropole de Lyon")
    MembershipFactory(user=authority_agent, organisation=second)
    stranger = OrganisationFactory(authority__name="Ville de Brest")
    client.force_login(authority_agent)
    page = client.get(url("bourse_interest", project.pk)).content.decode()
    assert "<select" in page
    assert "Métropole de Lyon" in page
    assert "Ville de Brest" not in page
    response = express(client, authority_agent, project, authority=stranger.authority.pk)
    assert response.status_code == 400
    assert not BourseInterest.objects.exists()
    express(client, authority_agent, project, authority=second.authority.pk)
    assert BourseInterest.objects.get().authority == second.authority


def test_the_message_is_required_and_limited(client, project, authority_agent, mailoutbox):
    assert express(client, authority_agent, project, message="  ").status_code == 400
    assert express(client, authority_agent, project, message="x" * 2001).status_code == 400
    assert not BourseInterest.objects.exists()
    assert mailoutbox == []


def test_no_interest_in_a_project_the_public_does_not_see(client, embassy, authority_agent):
    draft = make_project(embassy=embassy, live=False)
    expired = make_project(embassy=embassy, expires_on=timezone.localdate() - timedelta(days=1))
    closed = make_project(embassy=embassy, status=BourseProject.Status.CLOSED)
    for hidden in (draft, expired, closed):
        assert express(client, authority_agent, hidden).status_code == 404
    assert not BourseInterest.objects.exists()


def test_the_interest_include_adapts_to_the_visitor(rf, project, authority_agent, embassy_agent):
    from django.contrib.auth.models import AnonymousUser

    template = Template('{% include "bourse/interest_form.html" %}')

    def render(user):
        request = rf.get("/bourse/projet/")
        request.user = user
        return template.render(Context({"project": project, "request": request}))

    assert url("login") in render(AnonymousUser())
    assert url("bourse_interest", project.pk) not in render(embassy_agent)
    page = render(authority_agent)
    assert url("bourse_interest", project.pk) in page
    assert 'name="message"' in page
    bourse_matching.express_interest(
        authority_agent, project, authority_agent.memberships.get().organisation.authority, "Bonjour"
    )
    assert url("bourse_interest", project.pk) not in render(authority_agent)


# The embassy's side ----------------------------------------------------------------------------------------


@pytest.fixture
def interest(project, authority_agent, authority_org):
    return BourseInterest.objects.create(
        project=project, authority=authority_org.authority, user=authority_agent, message="Notre régie."
    )


def test_the_embassy_sees_who_is_interested(client, interest, embassy_agent, delegation_admin):
    for user in (embassy_agent, delegation_admin):
        client.force_login(user)
        page = client.get(url("bourse_projects")).content.decode()
        assert interest.project.title in page
        assert "Ville de Lyon" in page
        assert interest.user.email in page
        assert "Notre régie." in page


def test_other_agents_do_not_see_the_interests(client, interest, other_embassy_agent, authority_agent):
    client.force_login(other_embassy_agent)
    page = client.get(url("bourse_projects")).content.decode()
    assert interest.project.title not in page
    assert interest.user.email not in page
    client.force_login(authority_agent)
    assert client.get(url("bourse_projects")).status_code == 403
    client.force_login(UserFactory())
    assert client.get(url("bourse_projects")).status_code == 403


def test_putting_in_touch_mails_each_their_contact(client, interest, embassy_agent, mailoutbox):
    client.force_login(embassy_agent)
    assert client.post(url("bourse_put_in_touch", interest.pk)).status_code == 302
    interest.refresh_from_db()
    assert interest.put_in_touch_at is not None
    by_recipient = {m.to[0]: m.body for m in mailoutbox}
    assert set(by_recipient) == {interest.user.email, embassy_agent.email}
    assert embassy_agent.email in by_recipient[interest.user.email]
    assert interest.user.email in by_recipient[embassy_agent.email]
    mailoutbox.clear()
    client.post(url("bourse_put_in_touch", interest.pk))
    assert mailoutbox == []


def test_others_cannot_put_in_touch(client, interest, other_embassy_agent, authority_agent, mailoutbox):
    for user in (other_embassy_agent, authority_agent, UserFactory()):
        client.force_login(user)
        assert client.post(url("bourse_put_in_touch", interest.pk)).status_code == 404
    assert client.get(url("bourse_put_in_touch", interest.pk)).status_code in (404, 405)
    interest.refresh_from_db()
    assert interest.put_in_touch_at is None
    assert mailoutbox == []


# Partnership -----------------------------------------------------------------------------------------------


def test_the_partnership_becomes_an_atlas_cooperation_and_project(client, project, interest, embassy_agent):
    water, waste = ThemeFactory(), ThemeFactory()
    project.themes.set([water, waste])
    project.save()
    project.save_revision(user=embassy_agent).publish(user=embassy_agent, skip_permission_checks=True)
    client.force_login(embassy_agent)
    assert client.post(url("bourse_partnership", interest.pk)).status_code == 302
    cooperation = Cooperation.objects.get(authority=interest.authority, partner=project.partner)
    assert cooperation.kind == Cooperation.Kind.COOPERATION
    sheet = Project.objects.get(cooperation=cooperation)
    assert (sheet.title, sheet.summary, sheet.description) == (
        project.title,
        project.summary,
        project.description,
    )
    assert set(sheet.themes.all()) == {water, waste}
    assert sheet.status == Project.Status.ONGOING
    assert sheet.start_year == timezone.localdate().year
    assert sheet.budget == project.budget
    project.refresh_from_db()
    assert project.status == BourseProject.Status.PARTNERED
    assert project.cooperation == cooperation
    assert project.live
    assert project.live_revision == project.latest_revision
    assert project.latest_revision.as_object().status == BourseProject.Status.PARTNERED
    assert project.latest_revision.user == embassy_agent
    assert not BourseProject.objects.visible().filter(pk=project.pk).exists()
    # Done once: a second click changes nothing.
    client.post(url("bourse_partnership", interest.pk))
    assert Project.objects.filter(cooperation=cooperation).count() == 1


def test_the_partnership_reuses_the_existing_cooperation(client, project, interest, delegation_admin):
    existing = CooperationFactory(
        authority=interest.authority, partner=project.partner, kind=Cooperation.Kind.EXTERNAL_ACTION
    )
    client.force_login(delegation_admin)
    client.post(url("bourse_partnership", interest.pk))
    existing.refresh_from_db()
    assert Cooperation.objects.filter(authority=interest.authority).count() == 1
    assert existing.kind == Cooperation.Kind.COOPERATION
    assert existing.projects.count() == 1


def test_others_cannot_record_the_partnership(
    client, project, interest, other_embassy_agent, authority_agent
):
    for user in (other_embassy_agent, authority_agent):
        client.force_login(user)
        assert client.post(url("bourse_partnership", interest.pk)).status_code == 404
    project.refresh_from_db()
    assert project.status == BourseProject.Status.OPEN
    assert project.cooperation is None
    assert not Cooperation.objects.exists()
    assert not project.revisions.exists()


# Suggestions -----------------------------------------------------------------------------------------------


def test_suggestions_follow_the_countries_and_themes_of_the_authority(authority_org, burkina, mali):
    water = ThemeFactory()
    authority = authority_org.authority
    ProjectFactory(cooperation=CooperationFactory(authority=authority), themes=[water])  # in Burkina Faso
    senegal = Country.objects.get(code="SN")
    now = timezone.now()
    in_country = make_project(first_published_at=now - timedelta(days=2))
    on_theme = make_project(
        partner=PartnerAuthorityFactory(country=senegal), themes=[water], first_published_at=now
    )
    make_project(partner=PartnerAuthorityFactory(country=mali))  # neither
    make_project(live=False)  # not public
    assert list(bourse_matching.suggestions_for({authority.pk})) == [on_theme, in_country]
    assert list(bourse_matching.suggestions_for(set())) == []


def test_suggestions_are_ten_at_most_in_one_query(authority_org):
    CooperationFactory(authority=authority_org.authority)
    make_project()
    with CaptureQueriesContext(connection) as one:
        assert len(list(bourse_matching.suggestions_for({authority_org.authority_id}))) == 1
    for _ in range(12):
        make_project()
    with CaptureQueriesContext(connection) as many:
        suggestions = list(bourse_matching.suggestions_for({authority_org.authority_id}))
        [(p.partner.name, p.country.name) for p in suggestions]
    assert len(suggestions) == 10
    assert len(one) == len(many) == 1


def test_the_dashboard_include_shows_the_suggestions(authority_agent, authority_org):
    CooperationFactory(authority=authority_org.authority)
    project = make_project(title="Maraîchage à Bobo-Dioulasso")
    request = RequestFactory().get("/compte/")
    request.user = authority_agent
    page = Template('{% include "bourse/suggestions.html" %}').render(Context({"request": request}))
    assert project.title in page


def test_the_member_dashboard_shows_the_bourse_part(client, authority_agent, authority_org):
    """The extranet's dashboard knows no product: the Bourse adds its part through the dashboard hook."""
    CooperationFactory(authority=authority_org.authority)
    project = make_project(title="Maraîchage à Koudougou")
    client.force_login(authority_agent)
    page = client.get(reverse("accounts:dashboard")).text
    assert project.title in page
    assert reverse("accounts:bourse_alerts") in page


# Alerts ----------------------------------------------------------------------------------------------------


def test_a_member_saves_lists_and_deletes_alerts(client, burkina):
    water = ThemeFactory(slug="eau")
    member = UserFactory()
    client.force_login(member)
    response = client.post(url("bourse_alerts"), {"title": "", "country": burkina.slug})
    assert response.status_code == 400
    assert not BourseAlert.objects.exists()
    client.post(
        url("bourse_alerts"), {"title": "Eau au Burkina", "country": burkina.slug, "theme": water.slug}
    )
    alert = BourseAlert.objects.get(user=member)
    assert alert.query_string == f"country={burkina.slug}&theme=eau"
    page = client.get(url("bourse_alerts")).content.decode()
    assert "Eau au Burkina" in page
    assert burkina.name in page
    other = BourseAlert.objects.create(user=UserFactory(), title="Pas à moi")
    assert client.post(url("bourse_alert_delete", other.pk)).status_code == 404
    assert "Pas à moi" not in client.get(url("bourse_alerts")).content.decode()
    assert client.post(url("bourse_alert_delete", alert.pk)).status_code == 302
    assert list(BourseAlert.objects.all()) == [other]


def test_alert_pages_need_a_login(client, db):
    assert client.get(url("bourse_alerts")).status_code == 302
    assert client.post(url("bourse_alerts"), {"title": "x"}).status_code == 302
    assert not BourseAlert.objects.exists()


def test_alerts_mail_the_new_matches_once_a_day(burkina, mali, mailoutbox):
    water = ThemeFactory(slug="eau")
    member = UserFactory()
    alert = BourseAlert.objects.create(
        user=member, title="Eau", query_string=f"country={burkina.slug}&theme=eau"
    )
    BourseAlert.objects.filter(pk=alert.pk).update(created_at=timezone.now() - timedelta(days=3))
    now = timezone.now()
    match = make_project(title="Forages à Ouahigouya", themes=[water], first_published_at=now)
    make_project(title="Hors thème", first_published_at=now)
    make_project(partner=PartnerAuthorityFactory(country=mali), themes=[water], first_published_at=now)
    make_project(title="Trop ancien", themes=[water], first_published_at=now - timedelta(days=5))

    call_command("send_bourse_alerts", stdout=StringIO())
    call_command("send_bourse_alerts", stdout=StringIO())
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [member.email]
    body = mailoutbox[0].body
    assert match.title in body
    assert "Hors thème" not in body
    assert "Trop ancien" not in body
    alert.refresh_from_db()
    assert alert.last_sent_at is not None

    # The next day, only what was published since then.
    BourseAlert.objects.filter(pk=alert.pk).update(last_sent_at=now - timedelta(hours=25))
    BourseProject.objects.filter(pk=match.pk).update(first_published_at=now - timedelta(days=2))
    later = make_project(title="Latrines scolaires", themes=[water], first_published_at=timezone.now())
    mailoutbox.clear()
    call_command("send_bourse_alerts", stdout=StringIO())
    assert len(mailoutbox) == 1
    assert later.title in mailoutbox[0].body
    assert match.title not in mailoutbox[0].body


def test_alert_links_open_each_project_page_from_the_command(home, burkina, mailoutbox, settings, client):
    """The daily command has no request: the links follow the site's configured address and the Bourse
    page's own "project" route."""
    settings.WAGTAILADMIN_BASE_URL = "https://portail.example/"
    BoursePageFactory(parent=home, slug="bourse-projets")
    member = UserFactory()
    alert = BourseAlert.objects.create(user=member, title="Burkina", query_string=f"country={burkina.slug}")
    BourseAlert.objects.filter(pk=alert.pk).update(created_at=timezone.now() - timedelta(days=3))
    projects = [make_project(title=f"Projet {n}", first_published_at=timezone.now()) for n in (1, 2)]

    call_command("send_bourse_alerts", stdout=StringIO())

    body = mailoutbox[0].body
    for project in projects:
        link = f"https://portail.example/bourse-projets/projets/{project.pk}/"
        assert link in body
        assert client.get(link.removeprefix("https://portail.example")).status_code == 200


def test_an_alert_without_news_sends_nothing_but_is_marked(db, mailoutbox):
    alert = BourseAlert.objects.create(user=UserFactory(), title="Tout")
    call_command("send_bourse_alerts", stdout=StringIO())
    alert.refresh_from_db()
    assert mailoutbox == []
    assert alert.last_sent_at is not None
