# ruff: noqa: F811 (the `world` fixture is imported)
"""Who may use the national e-APD views: one table, every role and every URL; a refusal changes nothing
(no e-mail, no log entry).

The Délégation, ministry and operator agents read the national views; prefecture agents read their
territory's and remind its authorities; the Délégation reminds everywhere; nobody else gets in."""

import pytest

from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse

from wagtail.models import ModelLogEntry

from atlas.aid.national import REMINDER_ACTION
from atlas.models import Authority
from tests.aid.national_world import YEAR, login, world  # noqa: F401

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

# URL name -> (method, who is allowed). "remind_own" reminds Rennes (Bretagne, the prefecture's territory),
# "remind_other" Bordeaux (outside it).
TABLE = {
    "national": ("get", READERS),
    "declarers": ("get", READERS),
    "reminders": ("get", READERS),
    "crs_csv": ("get", READERS),
    "crs_xlsx": ("get", READERS),
    "remind_own": ("post", {"prefecture_agent", "delegation_admin"}),
    "remind_other": ("post", {"delegation_admin"}),
    "remind_all": ("post", {"prefecture_agent", "delegation_admin"}),
}


def url_of(action, world):
    if action == "remind_own":
        return reverse("aid_national_remind", args=[world.rennes.pk])
    if action == "remind_other":
        return reverse("aid_national_remind", args=[world.bordeaux.pk])
    return reverse("aid_national" if action == "national" else f"aid_national_{action}")


def reminder_count():
    return ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Authority), action=REMINDER_ACTION
    ).count()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(TABLE))
def test_role_table(client, world, role, action):
    method, allowed = TABLE[action]
    login(client, world.users[role])
    url = url_of(action, world)
    if method == "get":
        response = client.get(url)
        if role in allowed:
            assert response.status_code == 200, (role, action)
            if action == "national":
                assert "15\u202f000" in response.content.decode()  # Quimper's, in every reader's view
        else:
            assert response.status_code in (302, 403), (role, action)
            assert b"15\xe2\x80\xaf000" not in response.content
        return
    response = client.post(url, {"year": YEAR})
    if role in allowed:
        assert response.status_code == 302, (role, action)
        assert reminder_count() >= 1
        assert mail.outbox
    else:
        assert response.status_code in (302, 403), (role, action)
        if response.status_code == 302:
            # A redirect to the login or the admin's home, never to the list after a sending.
            assert not response["Location"].startswith(reverse("aid_national_declarers"))
        assert reminder_count() == 0
        assert mail.outbox == []


def test_the_menu_shows_to_readers_only(client, world):
    for role in ROLES[1:]:
        client.logout()
        html = login(client, world.users[role]).get(reverse("wagtailadmin_home")).content.decode()
        assert (reverse("aid_national") in html) == (role in READERS), role
