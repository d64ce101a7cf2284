"""Who may do what on the applicant side, role by role, through every URL: one table (ROLES x URL -> allowed).

A page allowed opens (200); a refused one is refused (the login, the dashboard, 403 or 404). A write allowed
changes the database (then rolled back); a refused one is refused and changes nothing: dossiers, budget
lines, partners, documents, history, calls and the admin's log are the same after it."""

from contextlib import contextmanager
from datetime import timedelta

import pytest

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry

from portal.funding.models import (
    Application,
    ApplicationEvent,
    Attachment,
    BudgetLine,
    Call,
    CallIndexPage,
    CallPage,
    ForeignPartner,
)
from portal.funding.receipt import store_receipt
from tests.funding.instruction_world import build_world, make_application

from .admin_forms import edit_data
from .factories import file_aid

State = Application.State
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

ROLES = [
    "anonymous",
    "member",
    "applicant",
    "other_authority",
    "embassy",
    "prefecture",
    "ministry",
    "delegation",
]
EVERYONE = set(ROLES)
ADMIN_USERS = EVERYONE - {"anonymous", "member"}
OWNERS = {"applicant", "delegation"}
# Ministries consult every filed dossier (instruction.reviewable_applications); the embassy and the
# prefecture only those of the calls they are asked about (none here).
FILED_READERS = {"applicant", "delegation", "ministry"}

# (name, URL name, object key or None, allowed roles)
PAGES = [
    ("calls index page", "page", "index", EVERYONE),
    ("open call page", "page", "open_page", EVERYONE),
    ("start a dossier", "funding_start", None, {"applicant", "other_authority"}),
    (
        "my dossiers",
        "wagtailsnippets_funding_application:list",
        None,
        {"applicant", "other_authority", "delegation"},
    ),
    ("edit the draft", "wagtailsnippets_funding_application:edit", "draft", OWNERS),
    ("edit the filed dossier", "wagtailsnippets_funding_application:edit", "filed", {"delegation"}),
    ("history of the draft", "wagtailsnippets_funding_application:history", "draft", OWNERS),
    ("draft's page", "funding_application", "draft", OWNERS),
    ("filed dossier's page", "funding_application", "filed", FILED_READERS),
    ("draft's document", "funding_attachment", "draft_document", OWNERS),
    ("filed dossier's document", "funding_attachment", "filed_document", FILED_READERS),
    ("receipt", "funding_receipt", "filed", FILED_READERS),
    ("French authority chooser", "funding_french_authority_chooser:choose", None, ADMIN_USERS),
    ("calls", "funding_calls:index", None, {"delegation"}),
    ("new call", "funding_calls:add", None, {"delegation"}),
    ("edit a call", "funding_calls:edit", "open_call", {"delegation"}),
]

# (name, URL name, object key, allowed roles); the data are built by `payload()`.
WRITES = [
    ("start a dossier", "funding_start", None, {"applicant"}),
    ("edit the draft", "wagtailsnippets_funding_application:edit", "draft", OWNERS),
    ("edit the filed dossier", "wagtailsnippets_funding_application:edit", "filed", {"delegation"}),
    ("attach to the draft", "funding_attachments", "draft", OWNERS),
    ("attach to the filed dossier", "funding_attachments", "filed", {"delegation"}),
    ("remove the draft's document", "funding_attachment_delete", "draft_document", OWNERS),
    ("remove the filed dossier's document", "funding_attachment_delete", "filed_document", {"delegation"}),
    ("file the draft", "funding_file", "draft", OWNERS),
    ("file the filed dossier again", "funding_file", "filed", set()),
    ("delete the draft", "wagtailsnippets_funding_application:delete", "draft", OWNERS),
    ("delete the filed dossier", "wagtailsnippets_funding_application:delete", "filed", {"delegation"}),
    ("create a call", "funding_calls:add", None, {"delegation"}),
    ("edit a call", "funding_calls:edit", "open_call", {"delegation"}),
]


class Rollback(Exception):
    pass


@contextmanager
def rolled_back():
    try:
        with transaction.atomic():
            yield
            raise Rollback
    except Rollback:
        pass


@pytest.fixture
def scene(home, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": str(tmp_path)}},
    }
    world = build_world()
    filed = world.application
    store_receipt(filed)
    now = timezone.now()
    open_call = Call.objects.create(
        title="Appel ouvert",
        year=now.year,
        opens_at=now - timedelta(days=5),
        closes_at=now + timedelta(days=30),
        required_documents=["deliberation"],
    )
    partner = filed.foreign_partners.get()
    draft = make_application(open_call, filed.organisation, partner, state=State.DRAFT, filed_at=None)
    BudgetLine.objects.filter(application=draft, category="own_funds").update(amount=60000)
    file_aid(draft.lead_authority)

    def document(application):
        return Attachment.objects.create(
            application=application,
            kind="deliberation",
            file=ContentFile(PDF, name="d.pdf"),
            original_name="délibération.pdf",
            content_type="application/pdf",
            size=len(PDF),
        )

    index = home.add_child(instance=CallIndexPage(title="Appels à projets", slug="appels-a-projets"))
    open_page = index.add_child(instance=CallPage(title="Appel ouvert", slug="appel-ouvert", call=open_call))
    users = {
        "anonymous": None,
        "member": world.member,
        "applicant": world.applicant,
        "other_authority": world.other_authority_agent,
        "embassy": world.embassy_agent,
        "prefecture": world.prefecture_agent,
        "ministry": world.ministry_agent,
        "delegation": world.delegation,
    }
    return {
        "world": world,
        "users": users,
        "objects": {
            "draft": draft,
            "filed": filed,
            "draft_document": document(draft),
            "filed_document": document(filed),
            "open_call": open_call,
            "index": index,
            "open_page": open_page,
        },
    }


def snapshot():
    return (
        list(Application.objects.order_by("pk").values_list("pk", "state", "title", "summary", "receipt")),
        list(BudgetLine.objects.order_by("pk").values_list("pk", "application", "category", "amount")),
        list(ForeignPartner.objects.order_by("pk").values_list("pk", "application", "partner")),
        list(Attachment.objects.order_by("pk").values_list("pk", "application", "file")),
        ApplicationEvent.objects.count(),
        list(Call.objects.order_by("pk").values_list("pk", "title", "opens_at", "closes_at")),
        ModelLogEntry.objects.count(),
    )


def login(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)


def refused(response):
    """Refused: the login, the dashboard, an error status, or back to the page with an error message (a
    filing the rules refuse)."""
    if response.status_code == 302:
        location = response["Location"].split("?")[0]
        if location in (reverse("wagtailadmin_login"), reverse("wagtailadmin_home")):
            return True
        stored = getattr(response.wsgi_request, "_messages", [])
        return any(message.level == messages.ERROR for message in stored)
    return response.status_code in (400, 403, 404, 405)


def address(url_name, key, objects):
    if url_name == "page":
        return objects[key].url
    return reverse(url_name, args=[objects[key].pk] if key else [])


def call_data(call, **changes):
    paris = timezone.get_current_timezone()
    return {
        "title": call.title,
        "year": str(call.year),
        "kind": call.kind,
        "opens_at": timezone.localtime(call.opens_at, paris).strftime("%Y-%m-%d %H:%M"),
        "closes_at": timezone.localtime(call.closes_at, paris).strftime("%Y-%m-%d %H:%M"),
        "max_requested_share": "50",
        "min_own_share": "10",
        "max_in_kind_share": "50",
        "required_documents": ["deliberation"],
        **changes,
    }


def payload(url_name, key, scene):
    objects, world = scene["objects"], scene["world"]
    if url_name == "funding_start":
        return {
            "call": objects["open_call"].pk,
            "organisation": objects["draft"].organisation_id,
            "title": "Nouveau dossier",
        }
    if url_name.endswith(":edit") and url_name.startswith("wagtailsnippets"):
        return edit_data(objects[key], world.delegation, summary="Changé par le tableau")
    if url_name == "funding_attachments":
        return {"kind": "other", "file": SimpleUploadedFile("autre.pdf", PDF)}
    if url_name == "funding_calls:add":
        return call_data(objects["open_call"], title="Nouvel appel")
    if url_name == "funding_calls:edit":
        return call_data(objects["open_call"], title="Appel modifié")
    return {}


@pytest.mark.parametrize("role", ROLES)
def test_pages(client, scene, role):
    login(client, scene["users"][role])
    problems = []
    for name, url_name, key, allowed in PAGES:
        response = client.get(address(url_name, key, scene["objects"]))
        if role in allowed:
            if response.status_code != 200:
                problems.append((name, "refused", response.status_code))
        elif not refused(response):
            problems.append((name, "allowed", response.status_code))
    assert not problems, (role, problems)


@pytest.mark.parametrize("write", WRITES, ids=[write[0] for write in WRITES])
def test_writes(client, scene, write, django_capture_on_commit_callbacks):
    name, url_name, key, allowed = write
    url = address(url_name, key, scene["objects"])
    problems = []
    for role in ROLES:
        login(client, scene["users"][role])
        before = snapshot()
        if role in allowed:
            with rolled_back(), django_capture_on_commit_callbacks(execute=False):
                response = client.post(url, payload(url_name, key, scene))
                if response.status_code != 302 or refused(response):  # a refusal, not a write
                    problems.append((role, "refused", response.status_code))
                elif snapshot() == before:
                    problems.append((role, "nothing changed"))
        else:
            response = client.post(url, payload(url_name, key, scene))
            if not refused(response):
                problems.append((role, "allowed", response.status_code))
            if snapshot() != before:
                problems.append((role, "changed something"))
    assert not problems, (name, problems)


def test_a_forged_choice_of_partner_outside_the_choosable_is_refused(client, scene):
    """The applicant chooses foreign partners among scope.choosable(PartnerAuthority) (every partner for an
    authority agent): a key that is no partner is a form error, and nothing is saved."""
    draft, applicant = scene["objects"]["draft"], scene["users"]["applicant"]
    login(client, applicant)
    data = edit_data(draft, applicant)
    data["foreign_partner_lines-0-partner"] = "999999"
    before = snapshot()
    response = client.post(reverse("wagtailsnippets_funding_application:edit", args=[draft.pk]), data)
    assert response.status_code == 200
    assert snapshot() == before
