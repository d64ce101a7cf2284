"""The admin choosers: what the page chooser shows of a draft, how the snippet choosers search, and the bound
on the lines of a development aid declaration (its form's inline lines)."""

import pytest

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from wagtail.models import Page

from atlas.models import Country, PartnerAuthority
from pages.workflow import COMMUNICATION_GROUP
from portal.accounts.scope import DELEGATION_GROUP
from tests.accounts.factories import EmbassyFactory, UserFactory, agent_of
from tests.atlas.factories import PartnerAuthorityFactory
from tests.pages.factories import HomePageFactory
from tests.tourism.factories import (
    ExperienceIndexPageFactory,
    ExperiencePageFactory,
    TourismHomePageFactory,
)
from tourism.moderation import MODERATORS_GROUP, ensure_tourism_workflow


def group_member(name):
    user = UserFactory()
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    return user


def snippet_chooser(model, view, *args):
    return reverse(f"wagtailsnippetchoosers_atlas_{model._meta.model_name}:{view}", args=args)


# The page chooser -------------------------------------------------------------------------------------------


@pytest.fixture
def experiences(db):
    home = HomePageFactory(parent=Page.get_first_root_node(), slug="accueil-choix")
    tourism_home = TourismHomePageFactory(parent=home, slug="tourisme-choix")
    ensure_tourism_workflow(apps, tourism_home.pk)  # the moderators' permissions on its pages
    index = ExperienceIndexPageFactory(parent=tourism_home, slug="experiences-choix")
    draft = ExperiencePageFactory(
        parent=index, slug="brouillon", title="Brouillon de Fatou à Oussouye", owner=UserFactory(), live=False
    )
    published = ExperiencePageFactory(parent=index, slug="publiee", title="Séjour publié à Saly")
    return {"index": index, "draft": draft, "published": published}


def browse(client, parent):
    return client.get(reverse("wagtailadmin_choose_page_child", args=[parent.pk]))


@pytest.mark.parametrize("role", ["embassy_agent", "communication_officer"])
def test_a_members_draft_is_not_opened_as_the_parent_page_by_who_may_not_edit_it(client, experiences, role):
    user = {
        "embassy_agent": lambda: agent_of(EmbassyFactory(name="Ambassade au Sénégal")),
        "communication_officer": lambda: group_member(COMMUNICATION_GROUP),
    }[role]()
    client.force_login(user)
    response = browse(client, experiences["draft"])
    assert response.status_code == 404
    assert "Oussouye" not in response.content.decode()
    # A published page and the listing of their parent still open, without the draft.
    assert browse(client, experiences["published"]).status_code == 200
    listing = browse(client, experiences["index"]).json()["html"]
    assert "Saly" in listing
    assert "Oussouye" not in listing


def test_a_moderator_opens_a_members_draft_in_the_page_chooser(client, experiences):
    client.force_login(group_member(MODERATORS_GROUP))
    response = browse(client, experiences["draft"])
    assert response.status_code == 200
    assert "Oussouye" in response.json()["html"]


# The snippet choosers' search -------------------------------------------------------------------------------


@pytest.fixture
def delegation(client, db):
    client.force_login(group_member(DELEGATION_GROUP))
    return client


@pytest.mark.parametrize("typed", ["Senegal", "senegal", "SÉNÉGAL", "sénégal", "SENEGAL"])
def test_the_country_chooser_finds_a_country_whatever_its_accents_and_case(delegation, typed):
    senegal = Country.objects.get(code="SN")
    found = delegation.get(snippet_chooser(Country, "choose_results"), {"q": typed}).text
    assert snippet_chooser(Country, "chosen", senegal.pk) in found
    assert snippet_chooser(Country, "chosen", Country.objects.get(code="ML").pk) not in found


def test_the_partner_chooser_searches_every_word_without_accents_in_any_field(delegation):
    segou = PartnerAuthorityFactory(name="Commune de Ségou", country=Country.objects.get(code="ML"))
    ziguinchor = PartnerAuthorityFactory(name="Commune de Ziguinchor", country=Country.objects.get(code="SN"))
    url = snippet_chooser(PartnerAuthority, "choose_results")
    # "segou" in the name, "MALI" in the country's name.
    found = delegation.get(url, {"q": "commune segou MALI"}).text
    assert snippet_chooser(PartnerAuthority, "chosen", segou.pk) in found
    assert snippet_chooser(PartnerAuthority, "chosen", ziguinchor.pk) not in found
    found = delegation.get(url, {"q": "SENEGAL"}).text
    assert snippet_chooser(PartnerAuthority, "chosen", ziguinchor.pk) in found
    assert snippet_chooser(PartnerAuthority, "chosen", segou.pk) not in found
    # A pattern character is a letter like any other, not a wildcard.
    found = delegation.get(url, {"q": "S%gou"}).text
    assert snippet_chooser(PartnerAuthority, "chosen", segou.pk) not in found


# The lines of an aid declaration ----------------------------------------------------------------------------
