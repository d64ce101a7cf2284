"""The applicant side in the admin: start a dossier from an open call (or from a past dossier), edit it in the
form that autosaves, attach documents (private, checked by content), see the eligibility rule by rule, file,
download the receipt."""

import datetime
import io
import zipfile

import pytest

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry

from portal.funding.models import Application, Attachment, BudgetLine, ForeignPartner
from tests.accounts.factories import OrganisationFactory, UserFactory, agent_of
from tests.atlas.factories import PartnerAuthorityFactory

from .admin_forms import edit_data
from .factories import ApplicationFactory, CallFactory, complete, file_aid

State = Application.State
AUTOSAVE = {"HTTP_ACCEPT": "application/json"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": tmp_path}},
    }


def is_refused(response):
    """Refused as Wagtail refuses: 403, 404, or back to the dashboard (or the login)."""
    if response.status_code == 302:
        return response["Location"].split("?")[0] in (
            reverse("wagtailadmin_home"),
            reverse("wagtailadmin_login"),
        )
    return response.status_code in (403, 404)


def days(n):
    return timezone.now() + datetime.timedelta(days=n)


@pytest.fixture
def agent(db):
    return agent_of(OrganisationFactory(name="Commune de Bessancourt"))


def test_an_agent_starts_a_dossier_from_an_open_call_only(client, agent):
    open_call = CallFactory(title="Appel ouvert")
    closed = CallFactory(title="Appel clos", opens_at=days(-60), closes_at=days(-30))
    client.force_login(agent)
    start = reverse("funding_start")
    page = client.get(start, {"call": open_call.pk})
    assert page.status_code == 200
    assert "Appel ouvert" in page.text
    assert "Appel clos" not in page.text
    organisation = agent.memberships.get().organisation
    refused = client.post(start, {"call": closed.pk, "organisation": organisation.pk, "title": "Tardif"})
    assert refused.status_code == 400
    assert not Application.objects.exists()
    response = client.post(start, {"call": open_call.pk, "organisation": organisation.pk, "title": "Forages"})
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailsnippets_funding_application:edit", args=[application.pk])
    assert (application.organisation, application.lead_authority) == (organisation, organisation.authority)
    assert application.state == State.DRAFT
    # The admin's "add" address leads to the same start.
    assert client.get(reverse("wagtailsnippets_funding_application:add")).status_code == 200


def test_a_dossier_is_started_for_the_agents_own_organisation_only(client, agent):
    call = CallFactory()
    other = OrganisationFactory()
    client.force_login(agent)
    response = client.post(
        reverse("funding_start"), {"call": call.pk, "organisation": other.pk, "title": "X"}
    )
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_a_past_dossier_is_duplicated_as_a_new_draft(client, agent):
    organisation = agent.memberships.get().organisation
    past = complete(ApplicationFactory(organisation=organisation, title="Forages 2025"))
    call = CallFactory()
    client.force_login(agent)
    client.post(
        reverse("funding_start"),
        {
            "call": call.pk,
            "organisation": organisation.pk,
            "title": "Forages 2026",
            "duplicate_from": past.pk,
        },
    )
    copy = Application.objects.get(title="Forages 2026")
    assert copy.call == call
    assert copy.duplicated_from == past
    assert copy.summary == past.summary
    assert list(copy.foreign_partners.all()) == list(past.foreign_partners.all())
    assert copy.budget_totals().expenses == past.budget_totals().expenses == 50000
    assert past.budget_lines.count() == 6  # the past dossier is untouched


def test_editing_saves_logs_and_leads_to_the_eligibility(client, agent):
    organisation = agent.memberships.get().organisation
    application = ApplicationFactory(organisation=organisation)
    colleague = agent_of(organisation)
    client.force_login(colleague)
    edit = reverse("wagtailsnippets_funding_application:edit", args=[application.pk])
    assert client.get(edit).status_code == 200
    data = edit_data(
        application,
        colleague,
        summary="Trois quartiers raccordés.",
        budget=[("equipment", 40000), ("requested", 20000), ("own_funds", 2000), ("other_funder", 18000)],
    )
    response = client.post(edit, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    assert response["Location"] == reverse("funding_application", args=[application.pk])
    application.refresh_from_db()
    assert application.summary == "Trois quartiers raccordés."
    assert application.budget_totals().own_share == 2000
    assert ModelLogEntry.objects.for_instance(application).filter(user=colleague).exists()
    page = client.get(response["Location"])
    rules = {rule.code: rule.passed for rule in page.context["eligibility"].rules}
    assert rules["own_share"] is False  # 2 000 € of 40 000 €: 5 %
    assert rules["balanced"] is True
    assert 'data-rule="own_share" data-passed="false"' in page.text


def test_autosave_updates_the_draft_without_leaving_the_form(client, agent):
    application = ApplicationFactory(organisation=agent.memberships.get().organisation)
    client.force_login(agent)
    edit = reverse("wagtailsnippets_funding_application:edit", args=[application.pk])
    client.get(edit)
    response = client.post(
        edit, edit_data(application, agent, objectives="Former 20 fontainiers."), **AUTOSAVE
    )
    assert response.status_code == 200, response.content
    assert response.json()["success"]
    application.refresh_from_db()
    assert application.objectives == "Former 20 fontainiers."


def test_an_invalid_edit_keeps_what_was_typed(client, agent):
    application = ApplicationFactory(organisation=agent.memberships.get().organisation)
    client.force_login(agent)
    edit = reverse("wagtailsnippets_funding_application:edit", args=[application.pk])
    data = edit_data(application, agent, title="", activities="Des semaines de travail à ne pas perdre.")
    response = client.post(edit, data)
    assert response.status_code == 200
    assert "Des semaines de travail à ne pas perdre." in response.text
    application.refresh_from_db()
    assert application.activities == ""


def test_a_foreign_partner_named_twice_is_a_form_error(client, agent):
    application = ApplicationFactory(organisation=agent.memberships.get().organisation)
    partner = PartnerAuthorityFactory()
    client.force_login(agent)
    data = edit_data(application, agent)
    data.update(
        {
            "foreign_partner_lines-TOTAL_FORMS": "2",
            "foreign_partner_lines-0-partner": str(partner.pk),
            "foreign_partner_lines-0-ORDER": "1",
            "foreign_partner_lines-1-partner": str(partner.pk),
            "foreign_partner_lines-1-ORDER": "2",
        }
    )
    response = client.post(reverse("wagtailsnippets_funding_application:edit", args=[application.pk]), data)
    assert response.status_code == 200
    assert not ForeignPartner.objects.exists()


def odt():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def test_documents_are_checked_by_content_private_and_served_after_a_check(client, agent):
    application = ApplicationFactory(organisation=agent.memberships.get().organisation)
    client.force_login(agent)
    upload = reverse("funding_attachments", args=[application.pk])
    fake = SimpleUploadedFile("deliberation.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    response = client.post(upload, {"kind": "deliberation", "file": fake})
    assert response.status_code == 400
    assert not Attachment.objects.exists()
    response = client.post(
        upload, {"kind": "deliberation", "file": SimpleUploadedFile("Délibération.pdf", PDF, "text/plain")}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.content_type) == ("Délibération.pdf", "application/pdf")
    assert attachment.file.name.endswith(".pdf")
    assert "Délibération" not in attachment.file.name
    client.post(upload, {"kind": "partnership_agreement", "file": SimpleUploadedFile("a.odt", odt())})
    assert application.attachments.count() == 2

    download = reverse("funding_attachment", args=[attachment.pk])
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "no-store" in response["Cache-Control"]

    outsider = agent_of(OrganisationFactory())
    client.force_login(outsider)
    assert client.get(download).status_code == 404
    assert client.post(reverse("funding_attachment_delete", args=[attachment.pk])).status_code == 404
    assert client.post(upload, {"kind": "other", "file": SimpleUploadedFile("x.pdf", PDF)}).status_code == 404
    assert application.attachments.count() == 2
    client.logout()
    assert client.get(download).status_code == 302  # to the login


def test_a_document_too_large_is_refused(client, agent, settings):
    from portal.funding import forms

    application = ApplicationFactory(organisation=agent.memberships.get().organisation)
    client.force_login(agent)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (forms.MAX_ATTACHMENT_BYTES + 1))
    response = client.post(
        reverse("funding_attachments", args=[application.pk]), {"kind": "other", "file": big}
    )
    assert response.status_code == 400
    assert not Attachment.objects.exists()


def test_filing_from_the_page_gives_the_receipt_and_mails_the_agents(
    client, agent, django_capture_on_commit_callbacks
):
    organisation = agent.memberships.get().organisation
    application = complete(ApplicationFactory(organisation=organisation))
    client.force_login(agent)
    file_url = reverse("funding_file", args=[application.pk])

    # Not yet eligible: no e-APD filed, no deliberation. Refused with the reasons, nothing changes.
    response = client.post(file_url, follow=True)
    assert response.redirect_chain == [(reverse("funding_application", args=[application.pk]), 302)]
    refusal = [str(message) for message in response.context["messages"]]
    assert len(refusal) == 1
    failed = [rule.explanation for rule in response.context["eligibility"].failed]
    assert {"aid_declaration", "documents"} == {rule.code for rule in response.context["eligibility"].failed}
    assert all(str(reason) in refusal[0] for reason in failed)
    application.refresh_from_db()
    assert application.state == State.DRAFT
    assert not mail.outbox

    file_aid(application.lead_authority)
    client.post(
        reverse("funding_attachments", args=[application.pk]),
        {"kind": "deliberation", "file": SimpleUploadedFile("d.pdf", PDF)},
    )
    assert client.get(reverse("funding_receipt", args=[application.pk])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(file_url)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.FILED
    receipt = client.get(reverse("funding_receipt", args=[application.pk]))
    assert receipt.status_code == 200
    assert b"".join(receipt.streaming_content).startswith(b"%PDF-")
    assert [message.to for message in mail.outbox] == [[agent.email]]

    # Filed: the organisation reads it but edits it no more; its documents stay.
    edit = reverse("wagtailsnippets_funding_application:edit", args=[application.pk])
    assert is_refused(client.get(edit))
    assert is_refused(
        client.post(edit, edit_data(application, UserFactory(is_superuser=True), title="Changé"))
    )
    application.refresh_from_db()
    assert application.title != "Changé"
    page = client.get(reverse("funding_application", args=[application.pk]))
    assert page.status_code == 200
    assert page.context["eligibility"] is None


def test_budget_totals_show_in_the_form(client, agent):
    application = ApplicationFactory(organisation=agent.memberships.get().organisation)
    BudgetLine.objects.create(application=application, category="equipment", amount=12000)
    BudgetLine.objects.create(application=application, category="requested", amount=6000)
    client.force_login(agent)
    page = client.get(reverse("wagtailsnippets_funding_application:edit", args=[application.pk]))
    assert 'data-total="expenses"' in page.text
    totals = page.text.split('data-total="expenses">')[1].split("</output>")[0]
    assert totals.replace("\xa0", " ").replace("\u202f", " ").startswith("12 000")


def test_what_an_expired_session_posted_comes_back_after_the_login(client, agent):
    application = ApplicationFactory(organisation=agent.memberships.get().organisation)
    edit = reverse("wagtailsnippets_funding_application:edit", args=[application.pk])
    data = edit_data(application, agent, activities="Trois heures de rédaction.")
    client.get(reverse("wagtailadmin_login"))  # the anonymous session the expired one became
    response = client.post(edit, data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    application.refresh_from_db()
    assert application.activities == ""
    client.force_login(agent)
    page = client.get(edit)
    assert page.status_code == 200
    assert "Trois heures de rédaction." in page.text
    # Shown once: the next visit shows the dossier as saved.
    assert "Trois heures de rédaction." not in client.get(edit).text


def test_a_late_filing_says_why_and_keeps_the_dossier(client, agent):
    """The page was opened while the call was open; it closes; the agent clicks "File": refused by the
    server's clock, with the closing date, the dossier as typed and still editable for the record."""
    organisation = agent.memberships.get().organisation
    application = complete(ApplicationFactory(organisation=organisation))
    file_aid(application.lead_authority)
    client.force_login(agent)
    client.post(
        reverse("funding_attachments", args=[application.pk]),
        {"kind": "deliberation", "file": SimpleUploadedFile("d.pdf", PDF)},
    )
    page = reverse("funding_application", args=[application.pk])
    assert client.get(page).context["eligibility"].passed
    closes_at = timezone.now() - datetime.timedelta(minutes=1)
    type(application.call).objects.filter(pk=application.call_id).update(closes_at=closes_at)
    response = client.post(reverse("funding_file", args=[application.pk]), follow=True)
    assert response.redirect_chain == [(page, 302)]
    [refusal] = [str(message) for message in response.context["messages"]]
    assert timezone.localtime(closes_at).strftime("%Y") in refusal
    assert [rule.code for rule in response.context["eligibility"].failed] == ["call_open"]
    application.refresh_from_db()
    assert application.state == State.DRAFT
    assert application.summary
    assert application.budget_totals().expenses == 50000
    assert not mail.outbox


def test_the_menu_leads_authority_agents_to_their_dossiers_only(client, agent):
    from tests.accounts.factories import EmbassyFactory

    client.force_login(agent)
    home = client.get(reverse("wagtailadmin_home")).text
    assert reverse("wagtailsnippets_funding_application:list") in home
    assert reverse("funding_start") in home
    client.force_login(agent_of(EmbassyFactory()))
    home = client.get(reverse("wagtailadmin_home")).text
    assert reverse("wagtailsnippets_funding_application:list") not in home
    assert reverse("funding_start") not in home
