"""Who may do what in the instruction, role by role, through every URL: one table (ROLES x URL -> allowed).

A page allowed opens (200); a refused one is refused (redirect to the login, 403 or 404). A step allowed
succeeds (302 back to the dossier); a step refused is refused and changes nothing: the dossiers, their
history, opinions, decisions, reports and tranches are the same after it."""

from contextlib import contextmanager
from datetime import timedelta

import pytest

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portal.funding import instruction
from portal.funding.instruction_models import Decision, OpinionRequest, Report, Tranche
from portal.funding.models import Application, ApplicationEvent, Attachment
from tests.funding.instruction_world import build_world, make_application

State = Application.State
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

ROLES = [
    "anonymous",
    "member",
    "applicant",
    "other_authority",
    "embassy",
    "other_embassy",
    "prefecture",
    "other_prefecture",
    "ministry",
    "delegation",
]
READERS = {"applicant", "embassy", "prefecture", "ministry", "delegation"}
REVIEWERS = {"embassy", "other_embassy", "prefecture", "other_prefecture", "ministry", "delegation"}

# (name, URL name, which object's pk, allowed roles)
PAGES = [
    ("delegation list", "funding_dossiers", None, {"delegation"}),
    ("delegation export", "funding_dossiers", "export", {"delegation"}),
    ("reviewer desk", "funding_awaiting", None, REVIEWERS),
    ("follow-up page", "funding_dossier", "instructed", READERS),
    # A draft is its organisation's own, even in a call the reviewers are asked about.
    ("draft's follow-up page", "funding_dossier", "draft", {"applicant", "delegation"}),
    ("award letter", "funding_award_letter", "accepted", READERS),
    ("opinion file", "funding_opinion_file", "embassy_opinion", {"embassy", "delegation"}),
    ("report file", "funding_report_file", "report", READERS),
    # The applicant's own pages, read by the reviewers of the call too (rules.reviewable).
    ("dossier page", "funding_application", "instructed", READERS),
    ("attachment", "funding_attachment", "attachment", READERS),
]
# (name, URL name, URL arguments, POST data, allowed roles)
STEPS = [
    ("put under instruction", "funding_move", ("filed", "instruction"), {}, {"delegation"}),
    ("request a correction", "funding_correction", ("instructed",), {"motivation": "Budget"}, {"delegation"}),
    (
        "decide",
        "funding_decide",
        ("instructed",),
        {"outcome": "refused", "committee_date": "2026-06-01", "motivation": "Hors priorités"},
        {"delegation"},
    ),
    (
        "ask an opinion",
        "funding_ask_opinion",
        ("instructed",),
        {"organisation": "ministry_org", "due_on": "2099-01-01"},
        {"delegation"},
    ),
    (
        "give an opinion",
        "funding_give_opinion",
        ("prefecture_opinion",),
        {"verdict": "favourable", "comment": "Bien"},
        {"prefecture"},
    ),
    ("release an opinion", "funding_release_opinion", ("embassy_opinion",), {}, {"delegation"}),
    ("file a report", "funding_file_report", ("accepted",), {"summary": "Fait"}, {"applicant"}),
    ("approve a report", "funding_approve_report", ("report",), {}, {"delegation"}),
    ("withdraw", "funding_move", ("instructed", "withdrawn"), {}, {"applicant", "delegation"}),
    ("move to reporting", "funding_move", ("accepted", "reporting"), {}, {"delegation"}),
]


class Rollback(Exception):
    pass


@pytest.fixture
def scene(db, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": str(tmp_path)}},
    }
    world = build_world()
    users = {
        "anonymous": None,
        "member": world.member,
        "applicant": world.applicant,
        "other_authority": world.other_authority_agent,
        "embassy": world.embassy_agent,
        "other_embassy": world.other_embassy_agent,
        "prefecture": world.prefecture_agent,
        "other_prefecture": world.other_prefecture_agent,
        "ministry": world.ministry_agent,
        "delegation": world.delegation,
    }
    instructed = world.application
    instruction.put_under_instruction(instructed, world.delegation)
    embassy_opinion = OpinionRequest.objects.get(application=instructed, organisation=world.embassy)
    instruction.give_opinion(
        embassy_opinion, world.embassy_agent, "favourable", "Solide", ContentFile(PDF, "a.pdf")
    )
    prefecture_opinion = OpinionRequest.objects.get(application=instructed, organisation=world.prefecture)
    partner = instructed.foreign_partners.first()
    filed = make_application(world.call, instructed.organisation, partner, title="Dossier déposé")
    accepted = make_application(world.call, instructed.organisation, partner, title="Dossier retenu")
    draft = make_application(
        world.call, instructed.organisation, partner, title="Brouillon", state=State.DRAFT, filed_at=None
    )
    instruction.put_under_instruction(accepted, world.delegation)
    instruction.decide(accepted, world.delegation, "accepted", "Oui", timezone.localdate(), amount=30000)
    report = instruction.file_report(accepted, world.applicant, "Année 1", ContentFile(PDF, "r.pdf"))
    attachment = Attachment.objects.create(
        application=instructed,
        kind="deliberation",
        file=ContentFile(PDF, "deliberation.pdf"),
        original_name="deliberation.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )
    return {
        "users": users,
        "objects": {
            "filed": filed.pk,
            "draft": draft.pk,
            "instructed": instructed.pk,
            "accepted": accepted.pk,
            "embassy_opinion": embassy_opinion.pk,
            "prefecture_opinion": prefecture_opinion.pk,
            "report": report.pk,
            "attachment": attachment.pk,
            "ministry_org": world.ministry.pk,
        },
    }


def snapshot():
    return (
        list(
            Application.objects.order_by("pk").values_list(
                "pk", "state", "correction_request", "amount_granted"
            )
        ),
        ApplicationEvent.objects.count(),
        list(
            OpinionRequest.objects.order_by("pk").values_list(
                "pk", "organisation", "verdict", "comment", "released_to_applicant"
            )
        ),
        list(Decision.objects.values_list("application", "outcome")),
        list(Report.objects.order_by("pk").values_list("pk", "approved_at")),
        list(Tranche.objects.order_by("pk").values_list("pk", "released_at")),
    )


def login(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)


def refused(response):
    if response.status_code == 302:
        return "login" in response["Location"] or response["Location"].rstrip("/").endswith("/admin")
    return response.status_code in (400, 403, 404, 405)


@contextmanager
def rolled_back():
    try:
        with transaction.atomic():
            yield
            raise Rollback
    except Rollback:
        pass


@pytest.mark.parametrize("role", ROLES)
def test_pages(client, scene, role):
    login(client, scene["users"][role])
    for name, url_name, key, allowed in PAGES:
        if key == "export":
            url = reverse(url_name) + "?export=csv"
        else:
            url = reverse(url_name, args=[scene["objects"][key]] if key else [])
        response = client.get(url)
        if role in allowed:
            assert response.status_code == 200, (role, name, response.status_code)
        else:
            assert refused(response), (role, name, response.status_code)


@pytest.mark.parametrize("step", STEPS, ids=[step[0] for step in STEPS])
def test_steps(client, scene, step):
    name, url_name, args, data, allowed = step
    objects = scene["objects"]
    url = reverse(url_name, args=[objects.get(arg, arg) for arg in args])
    data = {key: objects.get(value, value) for key, value in data.items()}
    if url_name == "funding_give_opinion":
        data = {f"opinion-{objects['prefecture_opinion']}-{key}": value for key, value in data.items()}
    for role in ROLES:
        login(client, scene["users"][role])
        payload = dict(data)
        if url_name == "funding_file_report":
            payload["file"] = ContentFile(PDF, name="rapport.pdf")
        before = snapshot()
        if role in allowed:
            with rolled_back():
                response = client.post(url, payload)
                assert response.status_code == 302, (role, name, response.status_code)
                assert snapshot() != before, (role, name)
        else:
            response = client.post(url, payload)
            assert refused(response), (role, name, response.status_code)
            assert snapshot() == before, (role, name)


def test_reviewers_of_other_calls_do_not_consult_the_call(client, scene):
    """An embassy asked about nothing in this call sees none of its dossiers in its desk."""
    login(client, scene["users"]["other_embassy"])
    body = client.get(reverse("funding_awaiting")).content.decode()
    assert "Dossier retenu" not in body
    assert "Eau potable" not in body


def test_due_dates_in_the_past_are_refused(client, scene):
    login(client, scene["users"]["delegation"])
    before = snapshot()
    response = client.post(
        reverse("funding_ask_opinion", args=[scene["objects"]["instructed"]]),
        {
            "organisation": scene["objects"]["ministry_org"],
            "due_on": timezone.localdate() - timedelta(days=1),
        },
    )
    assert response.status_code == 400
    assert snapshot() == before
