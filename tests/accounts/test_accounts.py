import re

import pytest

from django.contrib.auth import get_user_model
from django.urls import reverse

from portal.accounts.models import Membership
from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory, agent_of

PASSWORD = "un mot de passe solide 2026"


def signup_data(**extra):
    return {
        "first_name": "Claire",
        "last_name": "Martin",
        "email": "Claire.Martin@rennes.example",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **extra,
    }


def logs_in(client, username, password):
    """Through the login page, as a person does (the throttling backend needs the request)."""
    client.post(reverse("accounts:login"), {"username": username, "password": password})
    return "_auth_user_id" in client.session


def link_in(mail):
    return re.search(r"https?://testserver(\S+)", mail.body).group(1)


def test_signup_sends_a_french_confirmation_link_that_activates_the_account(client, db, mailoutbox):
    response = client.post(reverse("accounts:signup"), signup_data())
    assert "Consultez votre messagerie" in response.text
    user = get_user_model().objects.get(username="claire.martin@rennes.example")
    assert not user.is_active
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["claire.martin@rennes.example"]
    assert "Confirmez votre adresse" in mailoutbox[0].subject
    assert not logs_in(client, user.username, PASSWORD)
    client.get(link_in(mailoutbox[0]))
    user.refresh_from_db()
    assert user.is_active
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")


def test_a_forged_or_expired_activation_link_is_refused(client, db):
    response = client.get(reverse("accounts:activate", args=["not-a-token"]))
    assert response.status_code == 400
    assert "Ce lien ne fonctionne pas" in response.text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"password2": "autre chose 2026 !"}, "Les deux mots de passe diffèrent."),
        ({"password1": "123456789012", "password2": "123456789012"}, "entièrement numérique"),
        ({"password1": "court", "password2": "court"}, "trop court"),
        ({"email": "pas-une-adresse"}, "Saisissez une adresse e-mail valide"),
    ],
)
def test_a_refused_signup_explains_in_french_and_keeps_what_was_typed_but_passwords(
    client, db, changes, message, mailoutbox
):
    response = client.post(reverse("accounts:signup"), signup_data(**changes))
    assert response.status_code == 200
    assert message in response.text
    assert 'value="Claire"' in response.text
    assert 'value="Martin"' in response.text
    assert PASSWORD not in response.text
    assert "autre chose" not in response.text
    assert not get_user_model().objects.exists()
    assert not mailoutbox


def test_password_reset_answers_the_same_whether_or_not_the_address_exists(client, db, mailoutbox):
    UserFactory(username="connu@example.org", email="connu@example.org")
    known = client.post(reverse("accounts:password_reset"), {"email": "connu@example.org"}, follow=True)
    unknown = client.post(reverse("accounts:password_reset"), {"email": "inconnu@example.org"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert (
        known.text.replace(known.wsgi_request.META.get("CSRF_COOKIE", ""), "")
        == unknown.text.replace(unknown.wsgi_request.META.get("CSRF_COOKIE", ""), "")
        or "Consultez votre messagerie" in unknown.text
    )
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["connu@example.org"]
    # The link lets the member choose a new password.
    confirm = client.get(link_in(mailoutbox[0]), follow=True)
    new = "encore un autre mot de passe 2027"
    done = client.post(
        confirm.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, follow=True
    )
    assert "Votre mot de passe est réinitialisé" in done.text
    assert logs_in(client, "connu@example.org", new)


def test_repeated_failed_logins_are_throttled(client, db):
    user = UserFactory()
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": user.username, "password": "faux"})
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert "Trop de tentatives" in response.text
    assert "_auth_user_id" not in client.session


def test_join_request_is_approved_by_the_manager_and_the_member_is_told(client, db, mailoutbox):
    organisation = OrganisationFactory(name="Ville de Rennes")
    manager = agent_of(organisation, role=Membership.Role.MANAGER)
    member = UserFactory()
    client.force_login(member)
    client.post(reverse("accounts:join"), {"organisation": organisation.pk, "message": "Chargée de mission"})
    membership = Membership.objects.get(user=member)
    assert membership.status == Membership.Status.PENDING
    # The member cannot approve their own request.
    client.post(reverse("accounts:decide", args=[membership.pk]), {"decision": "approve"})
    membership.refresh_from_db()
    assert membership.status == Membership.Status.PENDING
    client.force_login(manager)
    assert "Chargée de mission" in client.get(reverse("accounts:dashboard")).text
    client.post(reverse("accounts:decide", args=[membership.pk]), {"decision": "approve"})
    membership.refresh_from_db()
    assert membership.status == Membership.Status.APPROVED
    assert membership.decided_by == manager
    assert member.groups.filter(name="Agents de collectivité").exists()
    assert mailoutbox[-1].to == [member.email]
    assert "approuvée" in mailoutbox[-1].subject


def test_an_agent_of_another_organisation_cannot_decide(client, db):
    membership = MembershipFactory(status=Membership.Status.PENDING)
    outsider = agent_of(OrganisationFactory(), role=Membership.Role.MANAGER)
    client.force_login(outsider)
    response = client.post(reverse("accounts:decide", args=[membership.pk]), {"decision": "approve"})
    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.status == Membership.Status.PENDING
    assert membership.decided_by is None


def test_dashboard_needs_login(client, db):
    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_extranet_page_is_for_members_only(client, demo_site):
    response = client.get("/espace-membres/")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")
    member = UserFactory()
    client.force_login(member)
    # An account without a role is not yet a member: told so (403), never sent back to the login page.
    assert client.get("/espace-membres/").status_code == 403
    from django.contrib.auth.models import Group

    member.groups.add(Group.objects.get(name="Membres"))
    assert "Calendrier des comités" in client.get("/espace-membres/").text
