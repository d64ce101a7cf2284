"""Filing a dossier in the browser: the authority agent opens the call's page, starts a dossier, names its
partner from the Atlas, fills the budget table (the totals follow as it types), attaches the council's
deliberation, sees the eligibility refuse the filing with the reason (own share too low) with nothing lost,
fixes the budget, files, downloads the receipt; the e-mail is in the outbox.

Buttons and fields are found by their names, ids and what they post to (the screens are French through the
catalogue), rules and states by their data attributes; every wait is for a state of the page."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from django.core import mail
from django.utils import timezone

from atlas.models import Country
from portal.funding.models import Application, Call, CallIndexPage, CallPage
from tests.accounts.factories import OrganisationFactory, agent_of
from tests.atlas.factories import AuthorityFactory, PartnerAuthorityFactory
from tests.browser.conftest import assert_accessible
from tests.browser.test_extranet import log_in
from tests.funding.factories import file_aid

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def plain(text):
    return re.sub(r"[\s\u202f\xa0]+", " ", text).strip()


def add_budget_line(page, category, amount):
    """Adds a line to the budget table and types its amount, as a person does."""
    count = page.locator("select[name^='budget_lines-'][name$='-category']:not([name*='__prefix__'])").count()
    page.locator("#id_budget_lines-ADD").click()
    line = page.locator(f"select[name='budget_lines-{count}-category']")
    line.wait_for()
    line.select_option(category)
    page.locator(f"input[name='budget_lines-{count}-amount']").fill(str(amount))
    return count


def test_an_agent_files_a_dossier_after_fixing_what_eligibility_refused(
    browser, live_server, home, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": str(tmp_path)}},
    }
    base = live_server.url
    senegal = Country.objects.get(code="SN")
    bessancourt = OrganisationFactory(
        name="Commune de Bessancourt", authority=AuthorityFactory(name="Bessancourt")
    )
    agent = agent_of(bessancourt)
    file_aid(bessancourt.authority)
    partner = PartnerAuthorityFactory(name="Commune de Podor", country=senegal)
    now = timezone.now()
    call = Call.objects.create(
        title="Appel à projets annuel",
        year=now.year + 1,
        opens_at=now - datetime.timedelta(days=3),
        closes_at=now + datetime.timedelta(days=30),
        required_documents=["deliberation"],
    )
    index = home.add_child(instance=CallIndexPage(title="Appels à projets", slug="appels-a-projets"))
    call_page = index.add_child(
        instance=CallPage(title="Appel à projets annuel", slug="annuel", call=call, intro="Cofinancements.")
    )

    page = browser.new_context(accept_downloads=True).new_page()
    log_in(page, base, agent.username)

    # The call's page, then its button to apply.
    page.goto(f"{base}{call_page.url}")
    expect(page.locator("[data-testid=call-status]")).to_be_visible()
    assert_accessible(page)
    page.locator(f"a[href$='?call={call.pk}']").click()
    page.locator("#id_title").fill("Bibliothèques partagées Bessancourt – Podor")
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/funding/dossiers/edit/\d+/"))
    application = Application.objects.get()

    # The dossier's text, its partner chosen in the Atlas's chooser, and the budget.
    page.locator("#id_summary").fill("Numériser les fonds des deux bibliothèques.")
    page.locator("#id_objectives").fill("Un catalogue commun ouvert au public.")
    page.locator("#id_activities").fill("Numérisation, formation, missions croisées.")
    page.locator("#id_country").select_option(str(senegal.pk))
    page.locator("#id_duration_years").fill("2")
    page.locator("#id_foreign_partner_lines-OPEN_MODAL").click()
    modal = page.locator(".modal")
    modal.locator(f"input[data-multiple-choice-select][value='{partner.pk}']").check()
    modal.locator("[data-multiple-choice-submit]").click()
    expect(page.locator("input[name='foreign_partner_lines-0-partner']")).to_have_value(str(partner.pk))

    expenses = page.locator("[data-total=expenses]")
    add_budget_line(page, "equipment", 30000)
    expect(expenses).to_have_text(re.compile(r"^30\D000,00 €$"))
    add_budget_line(page, "travel", 10000)
    expect(expenses).to_have_text(re.compile(r"^40\D000,00 €$"))
    add_budget_line(page, "requested", 20000)
    add_budget_line(page, "own_funds", 2000)
    add_budget_line(page, "other_funder", 18000)
    expect(page.locator("[data-total=resources]")).to_have_text(re.compile(r"^40\D000,00 €$"))
    # 2 000 € of 40 000 €: the own share, 5 %, shows below the call's 10 % as it is typed.
    expect(page.locator("[data-share=own]")).to_have_text(re.compile(r"5,00"))
    expect(page.locator("[data-budget-status]")).to_have_class(re.compile("funding-budget-status--problem"))
    page.locator("#w-editor-form button.action-save").click()
    page.wait_for_url(f"**/admin/funding/dossiers/{application.pk}/")

    # The council's deliberation, attached on the dossier's page.
    page.locator("#id_kind").select_option("deliberation")
    page.locator("#id_file").set_input_files(
        {"name": "deliberation.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.locator(f"form[action$='/dossiers/{application.pk}/pieces/'] button[type=submit]").click()
    expect(page.locator("a[href*='/admin/funding/pieces/']")).to_have_count(1)
    expect(page.locator("[data-rule=documents]")).to_have_attribute("data-passed", "true")
    expect(page.locator("[data-rule=own_share]")).to_have_attribute("data-passed", "false")
    # Checked once the flash message is gone: Wagtail's own message fades in, which axe reads mid-way.
    page.reload()
    expect(page.locator("[data-rule=own_share]")).to_have_attribute("data-passed", "false")
    assert_accessible(page)

    # Filing is refused with the reason; what was typed is all there.
    page.locator(f"form[action$='/dossiers/{application.pk}/deposer/'] button").click()
    refusal = page.locator(".messages .error")
    expect(refusal).to_be_visible()
    assert "10,00 %" in plain(refusal.inner_text())
    application.refresh_from_db()
    assert application.state == Application.State.DRAFT
    assert application.summary == "Numériser les fonds des deux bibliothèques."
    assert application.budget_totals().expenses == 40000
    assert not mail.outbox

    # The agent raises its own funds (and lowers the other funder's), the totals follow, and files.
    page.goto(f"{base}/admin/funding/dossiers/edit/{application.pk}/")
    own_funds = page.locator("select[name$='-category'] >> nth=3")
    assert own_funds.input_value() == "own_funds"
    page.locator("input[name$='-amount'] >> nth=3").fill("6000")
    page.locator("input[name$='-amount'] >> nth=4").fill("14000")
    expect(page.locator("[data-share=own]")).to_have_text(re.compile(r"15,00"))
    expect(page.locator("[data-budget-status]")).not_to_have_class(
        re.compile("funding-budget-status--problem")
    )
    page.locator("#w-editor-form button.action-save").click()
    page.wait_for_url(f"**/admin/funding/dossiers/{application.pk}/")
    expect(page.locator("[data-rule][data-passed=false]")).to_have_count(0)
    page.locator(f"form[action$='/dossiers/{application.pk}/deposer/'] button").click()
    expect(page.locator("[data-testid=state]")).not_to_have_text(re.compile("draft|brouillon", re.I))
    application.refresh_from_db()
    assert application.state == Application.State.FILED

    with page.expect_download() as download_info:
        page.locator(f"a[href$='/dossiers/{application.pk}/recepisse.pdf']").click()
    with open(download_info.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert [message.to for message in mail.outbox] == [[agent.email]]
    assert application.title in mail.outbox[0].subject
