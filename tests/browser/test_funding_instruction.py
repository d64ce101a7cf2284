"""The instruction of a dossier in the browser: the Délégation puts a filed dossier under instruction, the
embassy and the prefecture give their opinions from their desk, the Délégation shows one to the applicant and
decides; the applicant follows every step on the dossier's page and files its final report.

Buttons are found by what they post to (the screens are French through the catalogue), states by their
data attributes; every wait is for a state of the page."""

import pytest
from playwright.sync_api import expect

from django.core import mail

from portal.funding.instruction_models import OpinionRequest, Report
from portal.funding.models import Application
from tests.browser.conftest import assert_accessible
from tests.browser.test_extranet import log_in
from tests.funding.instruction_world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def signed_in(browser, base, user):
    page = browser.new_context().new_page()
    log_in(page, base, user.username)
    return page


def give_opinion(browser, base, user, dossier_title, verdict, comment):
    page = signed_in(browser, base, user)
    page.goto(f"{base}/admin/funding/avis/")
    page.locator("#pending").get_by_role("link", name=dossier_title).click()
    form = page.locator("form[action*='/donner/']")
    form.locator(f"input[value={verdict}]").check()
    form.locator("textarea").fill(comment)
    form.locator("button[type=submit]").click()
    expect(page.locator(f"[data-verdict={verdict}]")).to_be_visible()
    expect(page.get_by_text(comment)).to_be_visible()
    page.context.close()


def test_a_dossier_from_filing_to_its_final_report(browser, live_server, home, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": str(tmp_path)}},
    }
    base = live_server.url
    world = build_world()
    application = world.application
    Application.objects.filter(pk=application.pk).update(duration_years=1)
    follow_up = f"{base}/admin/funding/suivi/{application.pk}/"

    # The Délégation finds the filed dossier in its list and puts it under instruction.
    delegation = signed_in(browser, base, world.delegation)
    delegation.goto(f"{base}/admin/funding/instruction/")
    expect(delegation.locator("svg[role=img] title").first).to_be_attached()
    assert_accessible(delegation)
    delegation.locator("#dossier-list").get_by_role("link", name=application.title).click()
    delegation.locator("form[action$='/etape/instruction/'] button").click()
    expect(delegation.locator("[data-state=under_instruction]")).to_be_visible()
    assert set(OpinionRequest.objects.values_list("organisation", flat=True)) == {
        world.embassy.pk,
        world.prefecture.pk,
    }
    assert any(world.embassy_agent.email in message.to for message in mail.outbox)

    # The embassy and the prefecture give their opinions from their desk.
    give_opinion(browser, base, world.embassy_agent, application.title, "favourable", "Partenaire fiable.")
    give_opinion(browser, base, world.prefecture_agent, application.title, "reserved", "Budget serré.")

    # The applicant follows: under instruction, no opinion shown yet.
    applicant = signed_in(browser, base, world.applicant)
    applicant.goto(follow_up)
    expect(applicant.locator("[data-state=under_instruction]")).to_be_visible()
    expect(applicant.get_by_text("Partenaire fiable.")).to_have_count(0)
    assert_accessible(applicant)

    # The Délégation shows the embassy's opinion to the applicant, then decides.
    delegation.goto(follow_up)
    embassy_opinion = OpinionRequest.objects.get(organisation=world.embassy)
    delegation.locator(f"[data-opinion='{embassy_opinion.pk}'] form button").click()
    expect(delegation.locator(f"[data-opinion='{embassy_opinion.pk}'] form")).to_have_count(0)
    decision = delegation.locator("form[action$='/decision/']")
    decision.locator("input[value=accepted]").check()
    decision.locator("input[name=amount]").fill("35000")
    decision.locator("input[name=committee_date]").fill("2026-11-20")
    decision.locator("textarea[name=motivation]").fill("Projet conforme aux priorités de l’appel.")
    decision.locator("button[type=submit]").click()
    expect(delegation.locator("[data-state=accepted]")).to_be_visible()

    # The applicant sees every step: the decision, the released opinion, the history; it downloads the award
    # letter and files its final report.
    applicant.goto(follow_up)
    expect(applicant.locator("[data-state=accepted]")).to_be_visible()
    expect(applicant.locator("#decision")).to_contain_text("Projet conforme aux priorités de l’appel.")
    expect(applicant.get_by_text("Partenaire fiable.")).to_be_visible()
    expect(applicant.get_by_text("Budget serré.")).to_have_count(0)
    expect(applicant.locator("#history tbody tr")).to_have_count(2)
    with applicant.expect_download() as download:
        applicant.locator("#decision a[href$='.pdf']").click()
    assert download.value.suggested_filename.endswith(".pdf")
    report = applicant.locator("form[action$='/rapport/']")
    report.locator("textarea[name=summary]").fill("Les trois quartiers sont raccordés.")
    report.locator("input[name=file]").set_input_files(
        {"name": "rapport-final.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    report.locator("button[type=submit]").click()
    expect(applicant.locator("[data-report]")).to_contain_text("Les trois quartiers sont raccordés.")
    assert Report.objects.get().kind == Report.Kind.FINAL
