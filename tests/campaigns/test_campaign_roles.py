"""Who may use the campaign's pages: one table, every role and every URL; a refusal changes nothing (no
campaign, no e-mail, no reminder, no state changed).

The Délégation opens, follows, resumes and closes campaigns and reminds anywhere; prefecture agents read
their territory's progress and remind its authorities; ministry and operator agents read the national views;
authority agents see what is left for their authority; nobody else gets in."""

import pytest

from django.core import mail
from django.urls import reverse

from atlas.campaigns.models import CampaignReminder, CampaignSending, UpdateCampaign
from tests.campaigns.conftest import days
from tests.campaigns.test_campaigns import open_form

ROLES = [
    "anonymous",
    "member",
    "authority_agent",
    "embassy_agent",
    "prefecture_agent",
    "ministry_agent",
    "operator_agent",
    "delegation_admin",
]
READERS = {"prefecture_agent", "ministry_agent", "operator_agent", "delegation_admin"}
DELEGATION = {"delegation_admin"}

# action -> (method, who is allowed). "remind_own" reminds Brest (Bretagne, the prefecture's territory),
# "remind_other" Lyon (outside it).
TABLE = {
    "index": ("get", READERS | {"authority_agent"}),
    "mine": ("get", {"authority_agent", "delegation_admin"}),
    "open": ("get", DELEGATION),
    "open_post": ("post", DELEGATION),
    "detail": ("get", DELEGATION),
    "resume": ("post", DELEGATION),
    "close": ("post", DELEGATION),
    "dashboard": ("get", READERS),
    "dashboard_csv": ("get", READERS),
    "remind_own": ("post", {"prefecture_agent", "delegation_admin"}),
    "remind_other": ("post", DELEGATION),
}


def url_of(action, world, campaign):
    if action == "remind_own":
        return reverse("campaigns:remind", args=[campaign.pk, world["brest"].pk])
    if action == "remind_other":
        return reverse("campaigns:remind", args=[campaign.pk, world["lyon"].pk])
    if action in ("index", "mine", "open", "open_post"):
        return reverse(f"campaigns:{action.removesuffix('_post')}")
    return reverse(f"campaigns:{action}", args=[campaign.pk])


def state(campaign):
    """Everything a campaign action may write."""
    campaign.refresh_from_db()
    return (
        UpdateCampaign.objects.count(),
        campaign.state,
        campaign.closes_at,
        list(CampaignSending.objects.values_list("address", "status", "handed_at")),
        CampaignReminder.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(TABLE))
def test_role_table(client, world, campaign, role, action):
    method, allowed = TABLE[action]
    # One sending never handed to the mailer: "resume" would send it.
    CampaignSending.objects.create(campaign=campaign, address="attente@example.org")
    if role != "anonymous":
        client.force_login(world[role])
    url = url_of(action, world, campaign)
    before = state(campaign)
    if method == "get":
        response = client.get(url)
        if role in allowed:
            assert response.status_code == 200, (role, action)
        else:
            assert response.status_code in (302, 403), (role, action)
            assert b"Brest" not in b"".join(getattr(response, "streaming_content", [response.content]))
        return
    data = {}
    if action == "open_post":
        data = open_form(
            year=campaign.year + 1, opens=campaign.closes_at + days(1), closes=campaign.closes_at + days(60)
        )
    response = client.post(url, data)
    assert response.status_code in (302, 403), (role, action)
    if role in allowed:
        assert state(campaign) != before, (role, action)
        assert response.url.startswith(reverse("campaigns:index")), (role, action)
    else:
        assert state(campaign) == before, (role, action)
        assert mail.outbox == [], (role, action)
        if response.status_code == 302:
            # A redirect to the login or the admin's home, never to a campaign page after an action.
            assert not response.url.startswith(reverse("campaigns:index")), (role, action)


def test_the_menu_shows_to_those_who_follow_campaigns(client, world):
    for role in ROLES[1:]:
        client.force_login(world[role])
        html = client.get(reverse("wagtailadmin_home")).content.decode()
        shown = role in READERS | {"authority_agent"}
        assert (reverse("campaigns:index") in html) == shown, role
