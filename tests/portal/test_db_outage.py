"""The database away for a moment (issue 14, PostgreSQL restarted): a French 503, and a POST's page keeps what
was typed so that "Renvoyer" saves it once the database is back. The outage is made with Django's own hook
on the real connection (connection.execute_wrapper): every query of the request fails as with a restart."""

import re
from contextlib import contextmanager
from html import unescape

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from portal.accounts.models import SavedMap
from portal.core.db_outage import server_error
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

HIDDEN = re.compile(r'<input type="hidden" name="([^"]*)" value="([^"]*)">')


def restarted(execute, sql, params, many, context):
    raise OperationalError("terminating connection due to administrator command")


@contextmanager
def database_down():
    with connection.execute_wrapper(restarted):
        yield


def french(text):
    with translation.override("fr"):
        return _(text)


@pytest.fixture
def client(client):
    # As a server answers: an error that escapes the middleware goes to handler500 instead of the test.
    client.raise_request_exception = False
    return client


@pytest.fixture
def member(client):
    user = UserFactory(first_name="Claire", last_name="Martin")
    client.force_login(user)
    return user


def test_a_post_during_an_outage_keeps_what_was_typed_and_sends_it_again(client, home, member):
    typed = {"title": "Puits « Mali » <b>2026</b> & co", "query": "country=mali&themes=eau", "lat": ""}
    with database_down():
        response = client.post(reverse("accounts:personal_map_save"), typed)
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert response["Cache-Control"] == "no-store"
    html = response.text
    assert french("Service unavailable for a moment") in html
    assert french("Send again") in html
    assert "<b>2026</b>" not in html  # typed text stays text
    assert not SavedMap.objects.exists()

    fields = [(name, unescape(value)) for name, value in HIDDEN.findall(html)]
    assert ("title", typed["title"]) in fields
    assert ("query", typed["query"]) in fields
    token = [value for name, value in fields if name == "csrfmiddlewaretoken"]
    assert token
    assert token[0]
    action = unescape(re.search(r'<form method="post" action="([^"]*)"', html).group(1))
    assert action == reverse("accounts:personal_map_save")

    # The database is back: the button posts the kept values, and the map is saved.
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    response = client.post(action, data)
    assert response.status_code == 302
    assert SavedMap.objects.get(owner=member).title == "Puits « Mali » <b>2026</b> & co"


def test_passwords_are_not_written_back_and_files_are_said_lost(client, db):
    with database_down():
        response = client.post(
            reverse("accounts:signup"),
            {
                "first_name": "Claire",
                "last_name": "Martin",
                "email": "claire@example.org",
                "password1": "un-mot-de-passe-secret",
                "password2": "un-mot-de-passe-secret",
                "attachment": SimpleUploadedFile("note.txt", b"une note"),
            },
        )
    assert response.status_code == 503
    assert 'value="Claire"' in response.text
    assert "un-mot-de-passe-secret" not in response.text
    assert french("For your security, passwords are not kept: you will type them again.") in response.text
    lost = french("Attached files cannot be kept: attach them again once your entry is saved.")
    assert lost in response.text


def test_a_page_read_during_an_outage_asks_to_try_again(client, home):
    with database_down():
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert french("Try again") in response.text
    assert "<form" not in response.text
    # The outage over, the same client gets the page: nothing to restart.
    assert client.get("/").status_code == 200


def drivers_own_error(execute, sql, params, many, context):
    """What psycopg raises, unwrapped by Django, when PostgreSQL goes away as a server-side cursor is read."""
    raise connection.Database.OperationalError("consuming input failed: server closed the connection")


def test_the_drivers_own_error_is_an_outage_too(client, home):
    with connection.execute_wrapper(drivers_own_error):
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()


def test_a_script_gets_json(client, member):
    with database_down():
        response = client.post(
            reverse("accounts:personal_map_save"), {"title": "Mali"}, headers={"accept": "application/json"}
        )
    assert response.status_code == 503
    assert response.json()["error"]


def test_an_error_outside_a_view_gets_the_outage_page_and_others_the_500(db):
    request = RequestFactory().post("/compte/", {"title": "Mali"})
    try:
        raise OperationalError("the database system is shutting down")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert 'value="Mali"' in response.text
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(request).status_code == 500
