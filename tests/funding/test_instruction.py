"""The instruction of a dossier through its pages: under instruction (the embassy and the prefecture asked
automatically), opinions given and released, correction, decision with tranches and the Atlas sheet, reports
releasing tranches, withdrawal, the estimated time to decision, reminders."""

from datetime import timedelta
from decimal import Decimal

import pytest

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from atlas.models import Project
from portal.funding import instruction
from portal.funding.instruction_models import Decision, OpinionRequest, Report, Tranche
from portal.funding.models import Application, ApplicationEvent
from tests.funding.instruction_world import build_world, make_application

State = Application.State
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(db):
    return build_world()


def url(name, *args):
    return reverse(name, args=args)


def post(client, user, name, *args, **data):
    """A POST as the user, with the e-mails the step queues on commit sent."""
    client.force_login(user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url(name, *args), data)


def under_instruction(client, world):
    response = post(client, world.delegation, "funding_move", world.application.pk, "instruction")
    assert response.status_code == 302
    world.application.refresh_from_db()
    return world.application


def test_putting_under_instruction_asks_the_embassy_and_the_prefecture(client, world):
    mail.outbox.clear()
    application = under_instruction(client, world)
    assert application.state == State.UNDER_INSTRUCTION
    asked = set(OpinionRequest.objects.filter(application=application).values_list("organisation", flat=True))
    assert asked == {world.embassy.pk, world.prefecture.pk}
    recipients = {message.to[0] for message in mail.outbox}
    assert world.embassy_agent.email in recipients
    assert world.prefecture_agent.email in recipients
    assert world.other_embassy_agent.email not in recipients
    assert world.applicant.email in recipients  # told of the move by workflow.transition
    event = ApplicationEvent.objects.filter(application=application).latest("pk")
    assert (event.user, event.to_state) == (world.delegation, State.UNDER_INSTRUCTION)


def test_reviewers_see_awaiting_and_give_their_opinion(client, world):
    under_instruction(client, world)
    client.force_login(world.embassy_agent)
    page = client.get(url("funding_awaiting"))
    assert world.application.title in page.content.decode()
    opinion = OpinionRequest.objects.get(organisation=world.embassy)
    response = client.post(
        url("funding_give_opinion", opinion.pk),
        {
            f"opinion-{opinion.pk}-verdict": "favourable",
            f"opinion-{opinion.pk}-comment": "Projet solide, partenaire fiable.",
            f"opinion-{opinion.pk}-file": SimpleUploadedFile("avis.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert (opinion.verdict, opinion.given_by) == ("favourable", world.embassy_agent)
    assert opinion.file
    # The embassy reads its file; the prefecture does not even see the embassy's opinion.
    assert client.get(url("funding_opinion_file", opinion.pk)).status_code == 200
    client.force_login(world.prefecture_agent)
    assert "Projet solide" not in client.get(url("funding_dossier", world.application.pk)).content.decode()
    assert client.get(url("funding_opinion_file", opinion.pk)).status_code == 404


def test_the_applicant_reads_an_opinion_only_once_released(client, world):
    under_instruction(client, world)
    opinion = OpinionRequest.objects.get(organisation=world.prefecture)
    instruction.give_opinion(opinion, world.prefecture_agent, "reserved", "Budget à préciser.")
    client.force_login(world.applicant)
    page = url("funding_dossier", world.application.pk)
    assert "Budget à préciser." not in client.get(page).content.decode()
    # The applicant cannot release it itself.
    assert client.post(url("funding_release_opinion", opinion.pk)).status_code in (403, 404)
    post(client, world.delegation, "funding_release_opinion", opinion.pk)
    client.force_login(world.applicant)
    assert "Budget à préciser." in client.get(page).content.decode()
    # Its file stays the Délégation's and the reviewer's.
    assert client.get(url("funding_opinion_file", opinion.pk)).status_code == 404


def test_a_bad_opinion_keeps_what_was_typed(client, world):
    under_instruction(client, world)
    opinion = OpinionRequest.objects.get(organisation=world.embassy)
    client.force_login(world.embassy_agent)
    response = client.post(
        url("funding_give_opinion", opinion.pk),
        {
            f"opinion-{opinion.pk}-comment": "Mon commentaire <b>long</b>",
            f"opinion-{opinion.pk}-file": SimpleUploadedFile("avis.pdf", b"MZ not a pdf", "application/pdf"),
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Mon commentaire &lt;b&gt;long&lt;/b&gt;" in body
    assert "not a PDF" in body or "n’est pas un PDF" in body or "PDF" in body
    opinion.refresh_from_db()
    assert not opinion.is_given


def test_a_correction_reopens_the_dossier_for_the_applicant(client, world):
    under_instruction(client, world)
    response = post(
        client,
        world.delegation,
        "funding_correction",
        world.application.pk,
        motivation="Joindre la délibération.",
    )
    assert response.status_code == 302
    world.application.refresh_from_db()
    assert world.application.state == State.CORRECTION_REQUESTED
    assert world.application.correction_request == "Joindre la délibération."
    assert world.application.is_editable_by_applicant
    client.force_login(world.applicant)
    assert (
        "Joindre la délibération."
        in client.get(url("funding_dossier", world.application.pk)).content.decode()
    )


def test_a_correction_without_saying_what_changes_nothing(client, world):
    under_instruction(client, world)
    response = post(client, world.delegation, "funding_correction", world.application.pk, motivation="  ")
    assert response.status_code == 400
    world.application.refresh_from_db()
    assert world.application.state == State.UNDER_INSTRUCTION


def decide(client, world, **data):
    values = {
        "outcome": "accepted",
        "amount": "40000",
        "committee_date": timezone.localdate().isoformat(),
        "motivation": "Projet conforme aux priorités.",
    }
    return post(client, world.delegation, "funding_decide", world.application.pk, **{**values, **data})


def test_acceptance_records_the_decision_its_tranches_and_the_atlas_sheet(client, world):
    under_instruction(client, world)
    assert decide(client, world).status_code == 302
    application = Application.objects.get(pk=world.application.pk)
    assert application.state == State.ACCEPTED
    assert application.amount_granted == Decimal(40000)
    decision = Decision.objects.get(application=application)
    # Two years: 80 % in two yearly tranches (the first paid now), 20 % after the final report.
    tranches = list(Tranche.objects.filter(application=application).values_list("amount", "released_at"))
    assert [amount for amount, _at in tranches] == [Decimal(16000), Decimal(16000), Decimal(8000)]
    assert tranches[0][1] is not None
    assert tranches[1][1] is None
    project = decision.project
    assert project.funding_framework == Project.Framework.MEAE_CALL
    assert (project.cooperation.authority, project.cooperation.partner.name) == (
        application.lead_authority,
        "Ziguinchor",
    )
    assert project.title == application.title
    assert project.budget == Decimal(100000)
    # The award letter is a PDF the applicant downloads.
    client.force_login(world.applicant)
    letter = client.get(url("funding_award_letter", application.pk))
    assert letter.status_code == 200
    assert letter.content.startswith(b"%PDF")


def test_the_atlas_sheet_is_updated_not_duplicated(world):
    application = world.application
    first = instruction.atlas_project_for(application)
    application.title = "Eau potable à Ziguinchor, phase 2"
    application.save()
    Decision.objects.create(
        application=application,
        outcome="accepted",
        amount=1000,
        motivation="ok",
        committee_date=timezone.localdate(),
        project=first,
    )
    second = instruction.atlas_project_for(application)
    assert second.pk == first.pk
    assert second.title.endswith("phase 2")
    assert Project.objects.filter(cooperation=first.cooperation).count() == 1


def test_an_accepted_dossier_needs_its_amount_and_keeps_the_typed_motivation(client, world):
    under_instruction(client, world)
    response = decide(client, world, amount="", motivation="Motivation tapée")
    assert response.status_code == 400
    assert "Motivation tapée" in response.content.decode()
    assert not Decision.objects.exists()
    assert Application.objects.get(pk=world.application.pk).state == State.UNDER_INSTRUCTION
    # More than requested is refused too.
    assert decide(client, world, amount="50000").status_code == 400
    assert not Decision.objects.exists()


def test_a_refusal(client, world):
    under_instruction(client, world)
    assert decide(client, world, outcome="refused", amount="").status_code == 302
    application = Application.objects.get(pk=world.application.pk)
    assert application.state == State.REFUSED
    assert application.amount_granted is None
    assert not Tranche.objects.exists()
    client.force_login(world.applicant)
    assert client.get(url("funding_award_letter", application.pk)).status_code == 404


def test_reports_release_the_tranches_and_the_dossier_closes(client, world):
    under_instruction(client, world)
    decide(client, world)
    application = world.application
    client.force_login(world.applicant)
    response = client.post(
        url("funding_file_report", application.pk),
        {"summary": "Année 1 : études faites.", "file": SimpleUploadedFile("r1.pdf", PDF)},
    )
    assert response.status_code == 302
    interim = Report.objects.get(application=application)
    assert (interim.kind, interim.year) == ("interim", 1)
    client.post(url("funding_approve_report", interim.pk))  # the applicant cannot approve its own report
    interim.refresh_from_db()
    assert interim.approved_at is None
    post(client, world.delegation, "funding_approve_report", interim.pk)
    assert Tranche.objects.get(application=application, number=2).released_at is not None
    assert Tranche.objects.get(application=application, number=3).released_at is None
    post(client, world.delegation, "funding_move", application.pk, "reporting")
    client.force_login(world.colleague)  # another agent of the organisation takes over
    client.post(
        url("funding_file_report", application.pk),
        {"summary": "Projet achevé.", "file": SimpleUploadedFile("final.pdf", PDF)},
    )
    final = Report.objects.get(application=application, kind="final")
    assert client.get(url("funding_report_file", final.pk)).status_code == 200
    post(client, world.delegation, "funding_approve_report", final.pk)
    assert Tranche.objects.filter(application=application, released_at__isnull=True).count() == 0
    post(client, world.delegation, "funding_move", application.pk, "closed")
    assert Application.objects.get(pk=application.pk).state == State.CLOSED
    # The Atlas sheet of the cooperation now shows a finished project.
    project = Decision.objects.get(application=application).project
    project.refresh_from_db()
    assert project.status == Project.Status.FINISHED
    assert project.end_year == project.start_year + 1


def test_the_applicant_withdraws(client, world):
    response = post(
        client, world.applicant, "funding_move", world.application.pk, "withdrawn", motivation="Report"
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=world.application.pk).state == State.WITHDRAWN


def test_estimated_time_to_decision_is_the_median_of_the_call(client, world):
    now = timezone.now()
    for days in (10, 30, 50):
        other = make_application(
            world.call,
            world.application.organisation,
            world.application.foreign_partners.first(),
            state=State.REFUSED,
            filed_at=now - timedelta(days=days + 5),
        )
        Decision.objects.create(
            application=other,
            outcome="refused",
            motivation="-",
            committee_date=timezone.localdate(),
            decided_at=now - timedelta(days=5),
        )
    client.force_login(world.applicant)
    body = client.get(url("funding_dossier", world.application.pk)).content.decode()
    assert "30" in body.split('id="estimate"')[1][:400]


def test_reminders_once_a_day_before_the_due_date(world, client):
    under_instruction(client, world)
    OpinionRequest.objects.update(due_on=timezone.localdate() + timedelta(days=2))
    mail.outbox.clear()
    call_command("funding_opinion_reminders")
    assert {m.to[0] for m in mail.outbox} == {world.embassy_agent.email, world.prefecture_agent.email}
    mail.outbox.clear()
    call_command("funding_opinion_reminders")
    assert mail.outbox == []  # not twice the same day
    # An opinion given is no longer reminded.
    opinion = OpinionRequest.objects.get(organisation=world.embassy)
    instruction.give_opinion(opinion, world.embassy_agent, "favourable", "ok")
    OpinionRequest.objects.update(last_reminded_at=timezone.now() - timedelta(days=1))
    call_command("funding_opinion_reminders")
    assert {m.to[0] for m in mail.outbox} == {world.prefecture_agent.email}


def test_a_final_report_overdue_makes_a_new_dossier_ineligible(world):
    application = world.application
    application.state = State.REPORTING
    application.save()
    Decision.objects.create(
        application=application,
        outcome="accepted",
        amount=1000,
        motivation="ok",
        committee_date=timezone.localdate() - timedelta(days=3 * 366),
    )
    new = make_application(
        world.call, application.organisation, application.foreign_partners.first(), state=State.DRAFT
    )
    assert instruction.final_reports_overdue(new) == [application]
    Report.objects.create(application=application, kind="final", year=2, summary="fin", file="x.pdf")
    assert instruction.final_reports_overdue(new) == []
