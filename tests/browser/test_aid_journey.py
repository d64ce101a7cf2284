"""The e-APD in the browser: an authority agent opens the prefilled declaration, drops a proposed line, adds
one, saves a draft, files, downloads the receipt and finds the e-mail; once the window has closed, filing is
refused with the next window's date and nothing is saved."""

import pytest

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from atlas.aid.models import AidDeclaration, AidWindow
from atlas.models import Country
from tests.aid.aid_world import YEAR, build_world
from tests.browser.conftest import assert_accessible
from tests.browser.test_extranet import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_authority_agent_files_its_declaration_and_a_late_filing_is_refused(browser, live_server, home):
    base = live_server.url
    world = build_world()
    burkina = Country.objects.get(code="BF")
    page = browser.new_context(accept_downloads=True).new_page()
    log_in(page, base, world.agent.username)

    page.goto(f"{base}{reverse('aid_declarations')}")
    page.locator(f"a[href='{reverse('aid_declaration', args=[world.authority.pk, YEAR])}']").first.click()
    form = page.locator("#w-editor-form")
    form.wait_for()
    lines = page.locator("[data-aid-lines] > [data-aid-line]")
    # Last year's line (Mali) and the Atlas project in Senegal are proposed, then two blank lines.
    proposed = page.locator("[data-aid-lines] > [data-aid-line]:has([data-aid-proposed])")
    assert proposed.count() == 2
    assert proposed.nth(0).locator("select[name$='-country']").input_value() == str(world.mali.pk)
    assert proposed.nth(1).locator("select[name$='-project']").input_value() == str(world.project.pk)
    assert_accessible(page)

    # Drop last year's line, give the project's line its amount, add a line for Burkina Faso.
    proposed.nth(0).locator("input[name$='-DELETE']").check()
    proposed.nth(1).locator("input[name$='-amount']").fill("12000")
    count = lines.count()
    page.locator("[data-aid-add-line]").click()
    page.wait_for_function(
        f"document.querySelectorAll('[data-aid-lines] > [data-aid-line]').length === {count + 1}"
    )
    added = lines.nth(count)
    added.locator("select[name$='-country']").select_option(str(burkina.pk))
    added.locator("select[name$='-purpose']").select_option("11220")
    added.locator("input[name$='-amount']").fill("3000")
    page.locator("button[name=intent][value=save]").click()
    page.wait_for_selector(".messages .success, .messages li.success")
    declaration = AidDeclaration.objects.get(authority=world.authority, year=YEAR)
    assert declaration.status == "draft"
    assert sorted(declaration.lines.values_list("country__code", "amount")) == [("BF", 3000), ("SN", 12000)]

    # File: the detail page gives the receipt; every agent of the authority gets the e-mail.
    page.locator("button[name=intent][value=file]").click()
    page.wait_for_selector("[data-aid-status=filed]")
    declaration.refresh_from_db()
    assert declaration.is_filed
    with page.expect_download() as download_info:
        page.locator(f"a[href='{reverse('aid_receipt', args=[world.authority.pk, YEAR])}']").click()
    download = download_info.value
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.agent.email, world.colleague.email])
    assert "Bessancourt" in mail.outbox[0].subject

    # The form stays open in a tab; the window closes; filing again is refused and changes nothing.
    page.goto(f"{base}{reverse('aid_declaration', args=[world.authority.pk, YEAR])}?edit=1")
    form.wait_for()
    AidWindow.objects.filter(pk=world.window.pk).update(closes_at=timezone.now())
    page.locator("button[name=intent][value=file]").click()
    refusal = page.locator(".messages .error")
    refusal.wait_for()
    assert page.locator("#w-editor-form").count() == 0  # the declaration is read-only now
    assert str(world.next_window.year) in refusal.inner_text()
    assert timezone.localtime(world.next_window.opens_at).strftime("%d/%m/%Y") in refusal.inner_text()
    assert sorted(declaration.lines.values_list("amount", flat=True)) == [3000, 12000]
    assert len(mail.outbox) == 2
