"""Security of the accounts: single-use activation, sign-up that tells nothing about existing accounts,
the honeypot, throttling that nobody can turn against somebody else, bad input, and an admin that loads
nothing from another host."""

import re

import pytest

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from tests.accounts.factories import UserFactory

PASSWORD = "un mot de passe solide 2026"
ADDRESS = "claire.martin@rennes.example"


def fr(message):
    with translation.override("fr"):
        return str(translation.gettext(message))


def signup_data(**extra):
    return {
        "first_name": "Claire",
        "last_name": "Martin",
        "email": "Claire.Martin@rennes.example",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **extra,
    }


def link_in(mail):
    return re.search(r"https?://testserver(\S+)", mail.body).group(1)


def without_csrf(response):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.text)


def logs_in(client, username, password, **meta):
    """Through the login page, as a person does (the throttling backend needs the request)."""
    client.post(reverse("accounts:login"), {"username": username, "password": password}, **meta)
    logged = "_auth_user_id" in client.session
    client.logout()
    return logged


# Activation -------------------------------------------------------------------------------------------------


def test_an_activation_link_works_once_and_never_reopens_a_deactivated_account(client, db, mailoutbox):
    client.post(reverse("accounts:signup"), signup_data())
    link = link_in(mailoutbox[0])
    response = client.get(link)
    assert response.status_code == 302
    user = get_user_model().objects.get(username=ADDRESS)
    assert user.is_active
    # A second click (or a mail scanner before the person) does nothing harmful.
    again = client.get(link, follow=True)
    assert again.status_code == 200

    # An administrator closes the account; the old link no longer opens it.
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.get(link)
    assert response.status_code == 400
    assert fr("This link does not work") in response.text
    user.refresh_from_db()
    assert not user.is_active
    assert not logs_in(client, ADDRESS, PASSWORD)


def test_signing_up_again_never_replaces_a_deactivated_account(client, db, mailoutbox):
    client.post(reverse("accounts:signup"), signup_data())
    client.get(link_in(mailoutbox[0]))
    user = get_user_model().objects.get(username=ADDRESS)
    user.is_active = False
    user.save(update_fields=["is_active"])

    client.post(
        reverse("accounts:signup"), signup_data(password1="autre 2026 secret", password2="autre 2026 secret")
    )
    assert list(get_user_model().objects.values_list("pk", "is_active")) == [(user.pk, False)]
    # Whatever the new mail holds, it does not reopen the account.
    for mail in mailoutbox[1:]:
        found = re.search(r"https?://testserver(/\S*activer\S+)", mail.body)
        if found:
            client.get(found.group(1))
    user.refresh_from_db()
    assert not user.is_active


# Sign-up tells nothing about existing accounts --------------------------------------------------------------


def test_signup_with_a_taken_address_answers_as_a_new_one_and_warns_its_owner(client, db, mailoutbox):
    owner = UserFactory(username=ADDRESS, email=ADDRESS, password="le mot de passe du titulaire 2026")
    new = client.post(reverse("accounts:signup"), signup_data(email="nouvelle.adresse@rennes.example"))
    taken = client.post(reverse("accounts:signup"), signup_data(email="CLAIRE.Martin@rennes.example"))
    assert taken.status_code == new.status_code == 200
    assert without_csrf(taken).replace("claire.martin@rennes.example", "X") == without_csrf(new).replace(
        "nouvelle.adresse@rennes.example", "X"
    )
    # Nothing changed in the existing account, and no second one exists.
    assert get_user_model().objects.filter(username__iexact=ADDRESS).count() == 1
    owner.refresh_from_db()
    assert owner.check_password("le mot de passe du titulaire 2026")
    # The owner is told, with the way to a new password.
    warning = mailoutbox[-1]
    assert warning.to == [ADDRESS]
    assert reverse("accounts:password_reset") in warning.body
    assert "activer" not in warning.body


def test_signup_with_the_address_of_an_account_whose_login_is_not_the_address(client, db, mailoutbox):
    UserFactory(username="admin", email=ADDRESS)
    response = client.post(reverse("accounts:signup"), signup_data())
    assert fr("Check your mailbox") in response.text
    assert not get_user_model().objects.filter(username=ADDRESS).exists()
    assert len(mailoutbox) == 1
    assert reverse("accounts:password_reset") in mailoutbox[0].body


# Honeypot ---------------------------------------------------------------------------------------------------


def test_the_signup_form_carries_the_honeypot(client, db):
    html = client.get(reverse("accounts:signup")).text
    assert 'class="portal-honeypot" aria-hidden="true"' in html
    assert 'name="website"' in html


def test_a_filled_honeypot_refuses_the_signup_and_creates_nothing(client, db, mailoutbox):
    response = client.post(reverse("accounts:signup"), signup_data(website="http://spam.example"))
    assert response.status_code == 400
    assert not get_user_model().objects.exists()
    assert not mailoutbox


# Throttling -------------------------------------------------------------------------------------------------

ATTACKER, OWNER, PROXY = "203.0.113.66", "198.51.100.7", "10.0.0.2"


@pytest.fixture
def demo_user(db):
    return UserFactory(username="demo@example.org", email="demo@example.org")


def test_failures_from_an_attackers_address_never_lock_the_owner_out(client, demo_user):
    for _ in range(10):
        assert not logs_in(client, demo_user.username, "faux", REMOTE_ADDR=ATTACKER)
    assert not logs_in(client, demo_user.username, PASSWORD, REMOTE_ADDR=ATTACKER)
    assert logs_in(client, demo_user.username, PASSWORD, REMOTE_ADDR=OWNER)


def test_nobody_locks_the_superuser_out_either(client, db):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    for _ in range(10):
        logs_in(client, "admin", "faux", REMOTE_ADDR=ATTACKER)
    assert logs_in(client, admin.username, PASSWORD, REMOTE_ADDR=OWNER)
    # The Wagtail admin login goes through the same throttling.
    for _ in range(10):
        client.post(
            reverse("wagtailadmin_login"), {"username": "admin", "password": "faux"}, REMOTE_ADDR=ATTACKER
        )
    response = client.post(
        reverse("wagtailadmin_login"), {"username": "admin", "password": PASSWORD}, REMOTE_ADDR=OWNER
    )
    assert "_auth_user_id" in client.session, response.status_code


def test_behind_the_trusted_proxy_each_visitor_keeps_their_own_address(client, demo_user, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    for _ in range(10):
        logs_in(client, demo_user.username, "faux", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert not logs_in(client, demo_user.username, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert logs_in(client, demo_user.username, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OWNER)
    # A client in front of the proxy cannot choose its address: the proxy's own entry (the last) counts.
    assert not logs_in(
        client,
        demo_user.username,
        PASSWORD,
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"{OWNER}, {ATTACKER}",
    )


def test_a_forwarded_header_from_a_client_that_is_not_a_trusted_proxy_is_ignored(client, demo_user, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    for number in range(10):
        logs_in(
            client, demo_user.username, "faux", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{number}"
        )
    assert not logs_in(client, demo_user.username, PASSWORD, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=OWNER)
    assert logs_in(client, demo_user.username, PASSWORD, REMOTE_ADDR=OWNER)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(client, demo_user):
    for number in range(10):
        logs_in(
            client, demo_user.username, "faux", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{number}"
        )
    assert not logs_in(client, demo_user.username, PASSWORD, REMOTE_ADDR=ATTACKER)


# Bad input --------------------------------------------------------------------------------------------------

LONG = "a" * 10_000


def refused_politely(response):
    """A form error, or the French 400 that control characters get before any view (core/middleware.py)."""
    if response.status_code == 400:
        return "fr-" in response.text
    return response.status_code == 200 and (
        "fr-error-text" in response.text or "fr-alert--error" in response.text
    )


# A valid address, longer than the 150 characters of a login name.
LONG_ADDRESS = "x" * 60 + "@" + "d" * 60 + "." + "e" * 60 + ".fr"


@pytest.mark.parametrize(
    "data",
    [
        {"username": LONG, "password": "faux"},
        {"username": "demo\x00@example.org", "password": "faux"},
        {"username": "demo@example.org", "password": "fa\x00ux"},
    ],
)
def test_bad_login_input_is_a_form_error(client, demo_user, data):
    response = client.post(reverse("accounts:login"), data)
    assert refused_politely(response)
    assert "_auth_user_id" not in client.session
    # The same in the Wagtail admin's login.
    assert client.post(reverse("wagtailadmin_login"), data).status_code in (200, 400)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "changes",
    [
        {"email": LONG + "@example.org"},
        {"email": LONG_ADDRESS},
        {"email": "claire\x00@rennes.example"},
        {"first_name": "Cla\x00ire"},
        {"last_name": LONG},
        {"password1": "un mot\x00 de passe 2026", "password2": "un mot\x00 de passe 2026"},
    ],
)
def test_bad_signup_input_is_a_form_error(client, db, changes, mailoutbox):
    response = client.post(reverse("accounts:signup"), signup_data(**changes))
    assert refused_politely(response)
    assert not get_user_model().objects.exists()
    assert not mailoutbox


@pytest.mark.parametrize("email", [LONG + "@example.org", "demo\x00@example.org", LONG_ADDRESS])
def test_bad_password_reset_input_is_a_form_error_or_the_usual_answer(client, demo_user, email, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": email})
    # The usual "if the address exists…" answer, a form error, or the French 400 of control characters.
    assert response.status_code == 302 or refused_politely(response)
    assert not mailoutbox


# The admin loads nothing from another host ------------------------------------------------------------------

# What a browser loads by itself: images, scripts, frames, style sheets and icons, CSS url(), and addresses
# of avatars handed to the admin's scripts in JSON (the sidebar's). Links (<a href>, the help menu's) load
# nothing.
EXTERNAL = re.compile(
    r"""(?:\b(?:src|srcset|poster|data)=["']\s*|<link\b[^>]*\bhref=["']\s*|url\(\s*["']?|"avatar\w*":\s*")"""
    r"""(?:https?:)?(?:\\?/){2}(?!testserver\b)[^"'\s)]+""",
    re.I,
)


def test_the_admin_pages_of_a_user_load_nothing_from_another_host(client, db):
    admin = UserFactory(username="admin@example.org", is_superuser=True, is_staff=True)
    client.force_login(admin)
    for url in (
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_account"),
        reverse("wagtailusers_users:edit", args=[admin.pk]),
        reverse("wagtailusers_users:index"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "gravatar" not in response.text.lower(), url
        assert not EXTERNAL.findall(response.text), (url, EXTERNAL.findall(response.text))
