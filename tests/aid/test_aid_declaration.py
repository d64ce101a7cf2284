"""The e-APD declaration of an authority: the prefilled form, drafts that never lose typed work, the rules of
a line, the supporting document checked by its content, filing with its receipt (PDF and e-mail), the window
enforced on the server, and the Délégation's correction with its reason."""

import re

import pytest

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from atlas.aid import codes, receipt
from atlas.aid.forms import AID_LINES_MAX
from atlas.aid.models import AidDeclaration, AidHistory, AidLine
from atlas.queries import ATLAS
from portal.core.documents import document_kind
from portal.models import CacheVersion
from tests.aid.aid_world import (
    YEAR,
    build_world,
    form_data,
    form_url,
    line,
    odt_file,
    pdf_file,
    xlsx_file,
    zip_file,
)

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def agent(client, world):
    client.force_login(world.agent)
    return client


def spaced(html):
    """The page's text with the French thousands separators (no-break spaces) as plain spaces."""
    return html.replace("\xa0", " ").replace("\u202f", " ")


def declaration_of(world):
    return AidDeclaration.objects.filter(authority=world.authority, year=YEAR).first()


# The form opens prefilled -----------------------------------------------------------------------------------


def test_the_form_proposes_last_years_lines_and_the_atlas_projects(agent, world):
    html = agent.get(form_url(world.authority)).text
    assert "proposé : une ligne de l’an dernier" in html or "data-aid-proposed" in html
    # Last year's line (Mali, 8,000 €) and the project in Senegal, each proposed in a line of its own.
    assert f'<option value="{world.mali.pk}" selected>' in html
    assert 'value="8000"' in html
    assert f'<option value="{world.project.pk}" selected>' in html
    assert html.count("data-aid-proposed") == 2
    assert not AidDeclaration.objects.filter(
        authority=world.authority, year=YEAR
    ).exists()  # GET saves nothing


def test_the_recipient_list_is_the_dac_list_of_the_year(agent, world):
    html = agent.get(form_url(world.authority)).text
    # The recipient lists only (a project list on the same page may hold the same numbers as values).
    recipients = "".join(re.findall(r'<select name="lines-\d+-country".*?</select>', html, re.S))
    assert recipients
    assert f'<option value="{world.senegal.pk}"' in recipients
    assert f'<option value="{world.france.pk}"' not in recipients  # France is no ODA recipient


# Drafts -----------------------------------------------------------------------------------------------------


def test_a_draft_saves_its_lines_once_and_a_second_save_updates_them(agent, world):
    url = form_url(world.authority)
    response = agent.post(url, form_data([line(world.senegal, 12000), line(world.mali, 3000)]))
    assert response.status_code == 302
    declaration = declaration_of(world)
    assert declaration.status == "draft"
    assert sorted(declaration.lines.values_list("amount", flat=True)) == [3000, 12000]
    saved = list(declaration.lines.order_by("pk"))
    data = form_data(
        [],
        existing=[
            (saved[0], line(world.senegal, 15000)),
            (saved[1], {**line(world.mali, 3000), "DELETE": "on"}),
        ],
    )
    assert agent.post(url, data).status_code == 302
    assert list(declaration.lines.values_list("amount", flat=True)) == [15000]
    assert declaration.history.filter(action=AidHistory.Action.SAVED).count() == 2
    # Once something was saved, nothing is proposed any more.
    assert "data-aid-proposed" not in agent.get(url).text


def test_the_autosave_keeps_what_was_typed_without_making_lines(agent, world):
    url = form_url(world.authority)
    data = form_data([line(world.senegal, 4200)])
    for _ in range(3):
        response = agent.post(url, data, **JSON)
        assert response.status_code == 200
        assert response.json()["success"] is True
    declaration = declaration_of(world)
    assert not declaration.lines.exists()  # typed input only: nothing created, never twice
    assert AidDeclaration.objects.filter(authority=world.authority, year=YEAR).count() == 1
    html = agent.get(url).text  # the tab was closed: the form reopens on what was typed
    assert 'value="4200"' in html
    assert "ce que vous aviez saisi" in html or "what you typed" in html.lower()


def test_the_autosave_never_changes_a_filed_declaration(agent, world):
    url = form_url(world.authority)
    agent.post(url, form_data([line(world.senegal, 5000)], action="file"))
    declaration = declaration_of(world)
    assert declaration.is_filed
    agent.post(url, form_data([], existing=[(declaration.lines.get(), line(world.senegal, 1))]), **JSON)
    assert list(declaration.lines.values_list("amount", flat=True)) == [5000]
    declaration.refresh_from_db()
    assert declaration.is_filed


def test_an_invalid_line_keeps_every_typed_value_and_saves_no_line(agent, world):
    url = form_url(world.authority)
    data = form_data([line(world.senegal, 12345), line(world.mali, "-5")])
    response = agent.post(url, data)
    assert response.status_code == 200
    html = response.text
    assert 'value="12345"' in html
    assert 'value="-5"' in html
    assert not AidLine.objects.filter(declaration__authority=world.authority, declaration__year=YEAR).exists()
    assert declaration_of(world).draft_input["lines-0-amount"] == ["12345"]  # kept for the next visit too


def test_a_forged_number_of_lines_is_a_form_error_and_builds_no_line(agent, world):
    data = form_data([line(world.senegal)], total=1000)
    response = agent.post(form_url(world.authority), data)
    assert response.status_code == 200
    assert f"{AID_LINES_MAX}" in response.text
    assert 'name="lines-999-amount"' not in response.text
    assert not AidLine.objects.filter(declaration__year=YEAR).exists()


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"amount": "0"}, "amount"),
        ({"channel": codes.MULTILATERAL}, "multilateral_body"),
        ({"country": "", "multilateral_body": "41122"}, "channel"),
        ({"country": ""}, "country"),
    ],
    ids=["amount-zero", "multilateral-without-body", "body-without-multilateral-channel", "no-recipient"],
)
def test_a_line_breaking_a_rule_is_refused(agent, world, fields, error_field):
    data = form_data([{**line(world.senegal), **fields}])
    response = agent.post(form_url(world.authority), data)
    assert response.status_code == 200
    assert f"lines-0-{error_field}-error" in response.text
    assert not AidLine.objects.filter(declaration__year=YEAR).exists()


def test_a_country_off_the_dac_list_is_refused(agent, world):
    response = agent.post(form_url(world.authority), form_data([line(world.france)]))
    assert response.status_code == 200
    assert "lines-0-country-error" in response.text
    assert not AidLine.objects.filter(declaration__year=YEAR).exists()


def test_a_core_contribution_to_a_multilateral_body_is_a_line(agent, world):
    data = form_data([line(None, 2500, channel=codes.MULTILATERAL, multilateral_body="41120")])
    assert agent.post(form_url(world.authority), data).status_code == 302
    saved = declaration_of(world).lines.get()
    assert (
        saved.recipient_name.startswith("United Nations Human Settlements")
        or "Habitat" in saved.recipient_name
    )
    assert saved.channel_code == "41120"


# The supporting document ------------------------------------------------------------------------------------


@pytest.mark.parametrize("upload", [pdf_file, odt_file, xlsx_file], ids=["pdf", "odt", "xlsx"])
def test_a_pdf_odt_or_xlsx_document_is_kept_privately(agent, world, upload):
    data = {**form_data([line(world.senegal)]), "document": upload()}
    assert agent.post(form_url(world.authority), data).status_code == 302
    declaration = declaration_of(world)
    assert declaration.document.name.startswith(f"aid/{world.authority.pk}/{YEAR}/")
    response = agent.get(form_url(world.authority, name="aid_document"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:4] in (b"%PDF", b"PK\x03\x04")


@pytest.mark.parametrize(
    "upload",
    [
        lambda: SimpleUploadedFile("faux.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"),
        lambda: zip_file("faux.odt", [("mimetype", "application/zip"), ("a.txt", "x")]),
        lambda: zip_file("faux.xlsx", [("word/document.xml", "<w/>")]),
        lambda: SimpleUploadedFile("page.pdf", b"<html><script>alert(1)</script>", "application/pdf"),
    ],
    ids=["exe-named-pdf", "zip-named-odt", "docx-named-xlsx", "html-named-pdf"],
)
def test_a_document_is_checked_by_its_content_not_its_name(agent, world, upload):
    data = {**form_data([line(world.senegal)]), "document": upload()}
    response = agent.post(form_url(world.authority), data)
    assert response.status_code == 200
    assert "PDF, ODT" in response.text
    declaration = declaration_of(world)
    assert not declaration.document
    assert not declaration.lines.exists()


def test_a_document_over_10_mb_is_refused(agent, world):
    big = SimpleUploadedFile("gros.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "application/pdf")
    response = agent.post(form_url(world.authority), {**form_data([line(world.senegal)]), "document": big})
    assert response.status_code == 200
    assert not declaration_of(world).document


def test_a_valid_document_is_kept_when_a_line_is_wrong(agent, world):
    data = {**form_data([line(world.senegal, "")]), "document": pdf_file()}
    assert agent.post(form_url(world.authority), data).status_code == 200
    assert declaration_of(world).document  # a browser never posts a chosen file again


def test_document_kinds_are_read_from_the_bytes():
    assert document_kind(pdf_file()) == "pdf"
    assert document_kind(odt_file()) == "odt"
    assert document_kind(xlsx_file()) == "xlsx"
    assert document_kind(SimpleUploadedFile("x.pdf", b"PK\x03\x04garbage")) is None


# Filing -----------------------------------------------------------------------------------------------------


def test_filing_makes_a_receipt_and_mails_every_agent_of_the_authority(
    agent, world, django_capture_on_commit_callbacks
):
    data = form_data(
        [line(world.senegal, 12000, project=world.project.pk, marker_gender=2), line(world.mali, 3000)],
        action="file",
    )
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail leaves once the filing is committed
        response = agent.post(form_url(world.authority), data)
    assert response.status_code == 302
    declaration = declaration_of(world)
    assert declaration.is_filed
    assert declaration.filed_by == world.agent
    assert declaration.filed_at
    assert declaration.history.filter(action=AidHistory.Action.FILED, user=world.agent).exists()
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([world.agent.email, world.colleague.email])
    message = mail.outbox[0]
    assert "Bessancourt" in message.subject
    assert "15" in message.body
    assert form_url(world.authority, name="aid_receipt") in message.body

    pdf = agent.get(form_url(world.authority, name="aid_receipt"))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_the_receipt_lists_the_lines_and_the_totals_by_country_channel_and_sector(world):
    declaration = AidDeclaration.objects.create(authority=world.authority, year=YEAR, status="filed")
    AidLine.objects.create(declaration=declaration, country=world.senegal, amount=12000, purpose="14031")
    AidLine.objects.create(declaration=declaration, country=world.senegal, amount=3000, purpose="11220")
    AidLine.objects.create(
        declaration=declaration, channel=codes.MULTILATERAL, multilateral_body="41122", amount=1000
    )
    with translation.override("fr"):
        html = render_to_string("aid/pdf/receipt.html", receipt.receipt_context(declaration))
    assert "Sénégal" in html
    html = spaced(html)
    assert "16 000 €" in html
    assert "15 000 €" in html  # Senegal's total
    assert "140 –" in html
    assert "112 –" in html
    assert receipt.render_receipt_pdf(declaration).startswith(b"%PDF")


def test_filing_needs_a_line_or_no_aid_said_explicitly(agent, world, django_capture_on_commit_callbacks):
    url = form_url(world.authority)
    response = agent.post(url, form_data([], action="file"))
    assert response.status_code == 200
    assert "aucune aide" in response.text.lower() or "no development aid" in response.text.lower()
    assert not AidDeclaration.objects.filter(authority=world.authority, year=YEAR, status="filed").exists()
    response = agent.post(url, form_data([line(world.senegal)], no_aid=True, action="file"))
    assert response.status_code == 200
    assert not AidDeclaration.objects.filter(authority=world.authority, year=YEAR, status="filed").exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert agent.post(url, form_data([], no_aid=True, action="file")).status_code == 302
    declaration = declaration_of(world)
    assert declaration.is_filed
    assert declaration.no_aid
    assert not declaration.lines.exists()
    assert len(mail.outbox) == 2


def test_a_filed_declaration_changes_only_by_being_filed_again(agent, world):
    url = form_url(world.authority)
    agent.post(url, form_data([line(world.senegal, 5000)], action="file"))
    declaration = declaration_of(world)
    saved = declaration.lines.get()
    agent.post(url, form_data([], existing=[(saved, line(world.senegal, 7000))], action="save"))
    assert declaration.lines.get().amount == 5000  # "save" kept the input, did not apply it
    agent.post(url, form_data([], existing=[(saved, line(world.senegal, 7000))], action="file"))
    assert declaration.lines.get().amount == 7000
    assert declaration.history.filter(action=AidHistory.Action.FILED).count() == 2


# The window -------------------------------------------------------------------------------------------------


def test_a_late_filing_is_refused_with_the_next_windows_date_and_nothing_saved(client, db):
    world = build_world(window_open=False)
    client.force_login(world.agent)
    url = form_url(world.authority)
    response = client.post(url, form_data([line(world.senegal, 9000)], action="file"), follow=True)
    assert response.redirect_chain == [(url, 302)]
    html = response.text
    assert "lines-TOTAL_FORMS" not in html  # read-only
    assert "data-aid-next-window" in html
    # The refusal says when the next window opens (Paris time).
    assert timezone.localtime(world.next_window.opens_at).strftime("%d/%m/%Y %H:%M") in html
    assert not AidDeclaration.objects.filter(authority=world.authority, year=YEAR).exists()
    assert not mail.outbox
    # The autosave is told to stop, and keeps nothing either.
    response = client.post(url, form_data([line(world.senegal, 9000)]), **JSON)
    assert response.status_code == 403
    assert response.json()["error_code"] == "invalid_revision"
    assert not AidDeclaration.objects.filter(authority=world.authority, year=YEAR).exists()


def test_past_years_are_read_only_for_the_authority(agent, world):
    url = form_url(world.authority, year=YEAR - 1)
    html = agent.get(url).text
    assert "lines-TOTAL_FORMS" not in html
    assert "8 000 €" in spaced(html)
    response = agent.post(url, form_data([line(world.senegal, 1)], action="file"))
    assert response.status_code == 302
    assert list(world.last_line.declaration.lines.values_list("amount", flat=True)) == [8000]


# The expired session ----------------------------------------------------------------------------------------


def test_the_post_of_an_expired_session_is_shown_again_after_logging_in(client, world):
    url = form_url(world.authority)
    response = client.post(url, form_data([line(world.senegal, 31415)]))  # the session expired meanwhile
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]
    assert not AidDeclaration.objects.filter(authority=world.authority, year=YEAR).exists()
    client.force_login(world.agent)  # keeps the session's data, as a login does
    html = client.get(url).text
    assert 'value="31415"' in html


def test_the_autosave_of_an_expired_session_is_told_so_and_kept(client, world):
    response = client.post(form_url(world.authority), form_data([line(world.senegal, 2718)]), **JSON)
    assert response.status_code == 401
    assert response.json()["error_code"] == "validation_error"
    client.force_login(world.agent)
    assert 'value="2718"' in client.get(form_url(world.authority)).text


# The Délégation's correction --------------------------------------------------------------------------------


def test_the_delegation_corrects_a_filed_declaration_with_a_reason(client, world):
    declaration = world.last_line.declaration
    client.force_login(world.users["delegation_admin"])
    url = form_url(world.authority, year=YEAR - 1, name="aid_correct")
    data = form_data([], existing=[(world.last_line, line(world.mali, 9500))])
    response = client.post(url, data)
    assert response.status_code == 200  # no reason: refused
    assert declaration.lines.get().amount == 8000
    response = client.post(url, {**data, "reason": "Montant confirmé par la délibération du 12 mars"})
    assert response.status_code == 302
    assert declaration.lines.get().amount == 9500
    entry = declaration.history.get(action=AidHistory.Action.CORRECTED)
    assert entry.reason == "Montant confirmé par la délibération du 12 mars"
    assert entry.user == world.users["delegation_admin"]


# At the bound -----------------------------------------------------------------------------------------------


def test_a_declaration_of_300_lines_opens_and_saves_in_a_constant_number_of_queries(
    agent, world, django_assert_max_num_queries
):
    declaration = AidDeclaration.objects.create(authority=world.authority, year=YEAR)
    AidLine.objects.bulk_create(
        AidLine(declaration=declaration, country=world.senegal, amount=100 + n) for n in range(AID_LINES_MAX)
    )
    url = form_url(world.authority)
    with django_assert_max_num_queries(40):
        html = agent.get(url).text
    assert html.count("data-aid-line>") >= AID_LINES_MAX
    saved = list(declaration.lines.order_by("pk"))
    data = form_data([], existing=[(line_, line(world.senegal, 7)) for line_ in saved])
    # A line costs its UPDATE; the rest is constant: no query a line to check its keys, its country or the
    # constraints, and one bump of the Atlas version for the whole save.
    version = CacheVersion.objects.get(name=ATLAS).value
    with django_assert_max_num_queries(AID_LINES_MAX + 40):
        assert agent.post(url, data).status_code == 302
    assert set(declaration.lines.values_list("amount", flat=True)) == {7}
    assert CacheVersion.objects.get(name=ATLAS).value == version + 1
