"""The organisation rule in the Wagtail admin, tried for each role through the admin URLs directly.

A refused attempt must leave nothing changed: no row, no revision, no log entry."""

import pytest

from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse

from wagtail.models import ModelLogEntry, Revision

from atlas.models import Authority, Contact, Cooperation, Country, PartnerAuthority, Project, Theme
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
    assert world["our_project"].title in html
    assert world["their_project"].title in html
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


# Embassies: partners stay in their countries, cooperations of their countries are theirs to save -----------


def partner_data(country, name="Commune de Kolda", **extra):
    return {
        "name": name,
        "country": country.pk,
        "level": "municipality",
        "location": "SRID=4326;POINT(-14.95 12.89)",
        **extra,
    }


def test_an_embassy_cannot_create_a_partner_outside_its_countries(client, world):
    client.force_login(users(world)["embassy_agent_senegal"])
    before = snapshot(), PartnerAuthority.objects.count()
    form = client.get(admin_url(PartnerAuthority, "add")).context["form"]
    assert set(form.fields["country"].queryset) == {world["senegal"]}
    response = client.post(admin_url(PartnerAuthority, "add"), partner_data(world["mali"]))
    assert response.status_code == 200
    assert "country" in response.context["form"].errors
    assert (snapshot(), PartnerAuthority.objects.count()) == before
    response = client.post(admin_url(PartnerAuthority, "add"), partner_data(world["senegal"]))
    assert response.status_code == 302
    assert PartnerAuthority.objects.filter(name="Commune de Kolda", country=world["senegal"]).exists()


def test_an_embassy_cannot_move_its_partner_to_another_country(client, world):
    client.force_login(users(world)["embassy_agent_senegal"])
    partner = world["our_project"].cooperation.partner
    before = snapshot(), list(PartnerAuthority.objects.values_list("pk", "name", "country_id"))
    response = client.post(
        admin_url(PartnerAuthority, "edit", partner.pk), partner_data(world["mali"], name=partner.name)
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert (snapshot(), list(PartnerAuthority.objects.values_list("pk", "name", "country_id"))) == before


def test_an_agent_of_an_authority_and_an_embassy_cannot_move_the_partner_out_of_its_countries(client, world):
    """Authority agents may place a new partner anywhere; moving one the embassy answers for out of its
    countries is refused even then (Scope.admits)."""
    user = users(world)["embassy_agent_senegal"]
    from tests.accounts.factories import MembershipFactory

    MembershipFactory(user=user, organisation=world["ours"])
    client.force_login(user)
    partner = world["our_project"].cooperation.partner
    response = client.post(
        admin_url(PartnerAuthority, "edit", partner.pk), partner_data(world["mali"], name=partner.name)
    )
    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    assert error in response.text  # in the admin's error message, above the form
    partner.refresh_from_db()
    assert partner.country == world["senegal"]


def test_an_embassy_saves_a_cooperation_of_its_country_with_any_french_authority(client, world):
    client.force_login(users(world)["embassy_agent_senegal"])
    partner = world["our_project"].cooperation.partner
    data = {"authority": world["theirs"].authority_id, "partner": partner.pk, "kind": "cooperation"}
    response = client.post(admin_url(Cooperation, "add"), {**data, "since_year": 2021})
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert Cooperation.objects.filter(authority=world["theirs"].authority, partner=partner).exists()
    # …but not with a partner outside its countries, whatever the authority.
    before = snapshot()
    mali_partner = world["their_project"].cooperation.partner
    response = client.post(
        admin_url(Cooperation, "add"),
        {"authority": world["ours"].authority_id, "partner": mali_partner.pk, "kind": "external_action"},
    )
    assert response.status_code == 200
    assert snapshot() == before


def test_an_embassy_edits_a_cooperation_of_its_country(client, world):
    client.force_login(users(world)["embassy_agent_senegal"])
    cooperation = world["our_project"].cooperation
    response = client.post(
        admin_url(Cooperation, "edit", cooperation.pk),
        {
            "authority": cooperation.authority_id,
            "partner": cooperation.partner_id,
            "kind": "cooperation",
            "since_year": 1999,
        },
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    cooperation.refresh_from_db()
    assert cooperation.since_year == 1999


# Choosers ---------------------------------------------------------------------------------------------------


def chooser(model, view="choose", *args):
    return reverse(f"wagtailsnippetchoosers_atlas_{model._meta.model_name}:{view}", args=args)


def test_the_cooperation_chooser_lists_the_scope_only_and_searches(client, world):
    for n in range(30):  # other authorities' cooperations in the embassy's country: not the agent's
        CooperationFactory(partner=PartnerAuthorityFactory(country=world["senegal"], name=f"Commune {n}"))
    client.force_login(users(world)["authority_agent"])
    html = client.get(chooser(Cooperation)).json()["html"]
    ours, theirs = world["our_project"].cooperation, world["their_project"].cooperation
    assert chooser(Cooperation, "chosen", ours.pk) in html
    assert chooser(Cooperation, "chosen", theirs.pk) not in html
    assert 'name="q"' in html  # a search box
    assert "Commune 1" not in html
    found = client.get(chooser(Cooperation, "choose_results"), {"q": ours.partner.name}).text
    assert chooser(Cooperation, "chosen", ours.pk) in found
    assert client.get(chooser(Cooperation, "chosen", ours.pk)).json()["step"] == "chosen"
    assert client.get(chooser(Cooperation, "chosen", theirs.pk)).status_code == 404
    multiple = client.get(chooser(Cooperation, "chosen_multiple"), {"id": [ours.pk, theirs.pk]}).json()
    assert [item["id"] for item in multiple["result"]] == [str(ours.pk)]


def test_the_country_chooser_of_an_embassy_offers_its_countries_and_a_search(client, world):
    client.force_login(users(world)["embassy_agent_senegal"])
    html = client.get(chooser(Country)).json()["html"]
    assert chooser(Country, "chosen", world["senegal"].pk) in html
    assert chooser(Country, "chosen", world["mali"].pk) not in html
    assert client.get(chooser(Country, "chosen", world["mali"].pk)).status_code == 404


def test_the_country_chooser_of_the_delegation_finds_a_country_by_name(client, world):
    client.force_login(users(world)["delegation"])
    found = client.get(chooser(Country, "choose_results"), {"q": "Sénégal"}).text
    assert chooser(Country, "chosen", world["senegal"].pk) in found
    assert chooser(Country, "chosen", world["mali"].pk) not in found


def test_an_embassy_chooses_any_french_authority(client, world):
    client.force_login(users(world)["embassy_agent_senegal"])
    found = client.get(chooser(Authority, "choose_results"), {"q": world["theirs"].authority.name}).text
    assert chooser(Authority, "chosen", world["theirs"].authority_id) in found


def test_the_bourse_chooser_hides_another_embassys_draft(client, world):
    from atlas.bourse.models import BourseProject
    from tests.atlas.factories import BourseProjectFactory

    mali_draft = BourseProjectFactory(
        partner=world["their_project"].cooperation.partner, live=False, title="Brouillon malien"
    )
    published = BourseProjectFactory(title="Projet publié")
    client.force_login(users(world)["embassy_agent_senegal"])
    url = f"wagtailsnippetchoosers_atlas_{BourseProject._meta.model_name}:"
    html = client.get(reverse(url + "choose")).json()["html"]
    assert "Brouillon malien" not in html
    assert "Projet publié" in html
    assert client.get(reverse(url + "chosen", args=[mali_draft.pk])).status_code == 404
    assert client.get(reverse(url + "chosen", args=[published.pk])).status_code == 200


def test_the_page_chooser_hides_a_members_draft_from_whoever_may_not_edit_it(client, world, home):
    from tests.tourism.factories import ExperiencePageFactory

    member = UserFactory()
    ExperiencePageFactory(parent=home, slug="publiee", title="Séjour publié à Saly")
    draft = ExperiencePageFactory(
        parent=home, slug="brouillon", title="Brouillon à Oussouye", owner=member, live=False
    )
    client.force_login(users(world)["embassy_agent_senegal"])
    browse = client.get(reverse("wagtailadmin_choose_page_child", args=[home.pk])).json()["html"]
    assert "Séjour publié à Saly" in browse
    assert "Brouillon à Oussouye" not in browse
    found = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "Oussouye"}).text
    assert f'data-id="{draft.pk}"' not in found
    # Whoever may edit the draft still picks it: here a superuser.
    admin = UserFactory(is_superuser=True)
    client.force_login(admin)
    browse = client.get(reverse("wagtailadmin_choose_page_child", args=[home.pk])).json()["html"]
    assert "Brouillon à Oussouye" in browse


def test_the_page_choosers_chosen_answer_does_not_return_a_draft_it_hides(client, world, home):
    from tests.tourism.factories import ExperiencePageFactory

    published = ExperiencePageFactory(parent=home, slug="publiee", title="Séjour publié à Saly")
    draft = ExperiencePageFactory(
        parent=home, slug="brouillon", title="Brouillon à Oussouye", owner=UserFactory(), live=False
    )
    client.force_login(users(world)["embassy_agent_senegal"])
    url = reverse("wagtailadmin_choose_page_chosen_multiple")
    response = client.get(url, {"id": [published.pk, draft.pk]})
    assert [page["id"] for page in response.json()["result"]] == [published.pk]
    assert "Oussouye" not in response.text
    client.logout()
    assert client.get(url, {"id": [published.pk]}).status_code == 302
