"""Who may do what with the e-APD declarations: one table, every URL, each role; a refusal changes nothing.

The world (tests/aid/aid_world.py): Bessancourt's agent ("authority_agent"), Lyon's ("other_authority_agent"),
the window of YEAR open, Bessancourt's filed declaration of YEAR - 1 with a supporting document; a prefecture
of Île-de-France (Bessancourt's région), a ministry, an operator, an embassy, a member, the Délégation.
"""

import pytest

from django.core import mail
from django.db import transaction
from django.urls import reverse

from atlas.aid.models import AidDeclaration, AidHistory, AidLine, AidWindow
from portal.accounts.scope import scope_for
from tests.aid.aid_world import YEAR, build_world, form_data, line, pdf_file

ROLES = [
    "anonymous",
    "member",
    "authority_agent",
    "other_authority_agent",
    "embassy_agent",
    "prefecture_agent",
    "ministry_agent",
    "operator_agent",
    "delegation_admin",
]
READERS = {"authority_agent", "ministry_agent", "operator_agent", "delegation_admin"}
WRITERS = {"authority_agent", "delegation_admin"}

# url -> the roles allowed. Every other role is refused: a 403, or the login page for those without the admin.
TABLE = {
    "index": READERS | {"other_authority_agent"},  # each agent's own e-APD home
    "form": READERS,  # the form for writers, the (empty) declaration read-only for the ministry and operator
    "save_draft": WRITERS,
    "autosave": WRITERS,
    "file": WRITERS,
    "write_past_year": set(),  # past years never change through the form, whoever asks
    "past_year": READERS,
    "receipt": READERS,
    "document": READERS,
    "correct_form": {"delegation_admin"},
    "correct": {"delegation_admin"},
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module, in a transaction rolled back at its end; each test runs in a savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        w = build_world()
        past = w.last_line.declaration
        past.document.save("justificatif.pdf", pdf_file(), save=True)
        w.past = past
        yield w
        transaction.set_rollback(True)


def address_of(world, url):
    return request(None, world, url, address_only=True)


def request(client, world, url, address_only=False):
    """(method, address, data, extra) of each URL of the table, about Bessancourt."""
    authority = world.authority
    current = reverse("aid_declaration", args=[authority.pk, YEAR])
    past = reverse("aid_declaration", args=[authority.pk, YEAR - 1])
    new_lines = form_data([line(world.senegal, 5000)])
    corrected = {
        **form_data([], existing=[(world.last_line, line(world.mali, 1))]),
        "reason": "Erreur de saisie",
    }
    requests = {
        "index": ("get", reverse("aid_declarations"), None, {}),
        "form": ("get", current, None, {}),
        "save_draft": ("post", current, new_lines, {}),
        "autosave": ("post", current, new_lines, {"HTTP_ACCEPT": "application/json"}),
        "file": ("post", current, form_data([line(world.senegal, 5000)], action="file"), {}),
        "write_past_year": ("post", past, {**corrected, "intent": "file"}, {}),
        "past_year": ("get", past, None, {}),
        "receipt": ("get", reverse("aid_receipt", args=[authority.pk, YEAR - 1]), None, {}),
        "document": ("get", reverse("aid_document", args=[authority.pk, YEAR - 1]), None, {}),
        "correct_form": ("get", reverse("aid_correct", args=[authority.pk, YEAR - 1]), None, {}),
        "correct": ("post", reverse("aid_correct", args=[authority.pk, YEAR - 1]), corrected, {}),
    }
    method, address, data, extra = requests[url]
    if address_only:
        return address
    return (
        getattr(client, method)(address, data, **extra) if data else getattr(client, method)(address, **extra)
    )


def snapshot():
    return {
        "declarations": list(AidDeclaration.objects.order_by("pk").values()),
        "lines": list(AidLine.objects.order_by("pk").values()),
        "history": list(AidHistory.objects.order_by("pk").values()),
        "windows": list(AidWindow.objects.order_by("pk").values()),
        "mails": len(mail.outbox),
    }


def is_refused(response, address=None):
    """A refusal: the login, the dashboard, a 401/403/404; or, for a post outside the window, back to the
    declaration itself with the reason (the snapshot then shows that nothing changed)."""
    if response.status_code == 302:
        refusals = (reverse("wagtailadmin_login"), reverse("wagtailadmin_home"), address)
        return response["Location"].split("?")[0] in refusals
    return response.status_code in (401, 403, 404)


@pytest.mark.parametrize("url", list(TABLE))
@pytest.mark.parametrize("role", ROLES)
def test_the_table(client, db, world, role, url):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    allowed = role in TABLE[url]
    before = snapshot()
    response = request(client, world, url)
    if not allowed:
        assert is_refused(response, address_of(world, url)), (role, url, response.status_code)
        assert snapshot() == before, (role, url)
        return
    assert not is_refused(response), (role, url, response.status_code)
    if url in ("save_draft", "file", "correct"):
        assert response.status_code == 302, response.content[:2000]
        assert snapshot() != before
    elif url == "autosave":
        assert response.json()["success"] is True
    else:
        assert response.status_code == 200


def test_the_prefecture_sees_the_status_but_not_the_amounts(db, world):
    """The status is the national lists' (aid-national); the declaration's pages show amounts and refuse."""
    scope = scope_for(world.users["prefecture_agent"])
    assert scope.visible(AidDeclaration).filter(pk=world.past.pk).exists()
    assert not scope.visible(AidLine).filter(declaration=world.past).exists()
    other = AidDeclaration.objects.create(authority=world.other, year=YEAR - 1, status="filed")
    assert not scope.visible(AidDeclaration).filter(pk=other.pk).exists()  # Lyon is not its territory


def test_an_agent_never_writes_for_another_authority(client, db, world):
    client.force_login(world.other_agent)
    before = snapshot()
    url = reverse("aid_declaration", args=[world.authority.pk, YEAR])
    assert is_refused(client.post(url, form_data([line(world.senegal)], action="file")))
    assert snapshot() == before
