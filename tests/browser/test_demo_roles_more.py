"""More demo roles doing their main task right after `manage.py demo`, in a real browser: the communication
officer writes a feature the editor-in-chief publishes, and the Délégation administrator approves a member."""

import pytest
from playwright.sync_api import expect

from django.contrib.auth.models import Group
from django.core import mail

from pages.models import RubricPage, TestimonyPage
from portal.accounts.models import Membership, Organisation
from portal.accounts.services import GROUP_BY_ROLE, ROLE_BY_KIND
from tests.accounts.factories import UserFactory
from tests.browser.conftest import assert_nothing_overlaps_footer
from tests.browser.test_demo_roles import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TITLE = "La maire de Saint-Louis raconte le jumelage"


def test_the_demo_communication_officer_writes_a_feature_the_editor_in_chief_publishes(
    browser, live_server, demo_site
):
    base = live_server.url
    rubric = RubricPage.objects.get(locale__language_code="fr")

    # The communication officer adds a testimony beneath the rubric, only its required fields, and submits it.
    writer = browser.new_context().new_page()
    log_in(writer, base, "demo.communication.officer")
    writer.goto(f"{base}/admin/pages/{rubric.pk}/")
    writer.locator(f"a[href$='/admin/pages/{rubric.pk}/add_subpage/']").first.click()
    writer.get_by_role("link", name="Témoignage", exact=True).click()
    writer.wait_for_url("**/admin/pages/add/pages/testimonypage/**")
    writer.fill("#id_title", TITLE)
    writer.fill("#id_speaker_name", "Aïssatou Ndiaye")
    submit = writer.locator("footer button[name=action-submit]")
    writer.locator("footer [data-w-dropdown-target=toggle]").last.click()
    expect(submit).to_be_visible()
    with writer.expect_navigation():
        submit.click()
    expect(writer.locator(".messages")).to_contain_text(TITLE)
    feature = TestimonyPage.objects.get(title=TITLE, locale__language_code="fr")
    assert not feature.live
    assert feature.get_parent().pk == rubric.pk
    assert feature.current_workflow_state.status == "in_progress"
    assert any("demo.editor.in.chief@example.org" in message.to for message in mail.outbox)

    # The editor-in-chief approves and publishes it from the admin.
    editor = browser.new_context().new_page()
    log_in(editor, base, "demo.editor.in.chief")
    editor.goto(f"{base}/admin/pages/{feature.pk}/edit/")
    # "Approve and publish" itself, not its variant that opens a comment dialog first.
    approve = editor.locator(
        "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
    )
    if not approve.is_visible():
        editor.locator("footer [data-w-dropdown-target=toggle]").last.click()
        expect(approve).to_be_visible()
    # The approval posts and comes back to an admin page: wait for that navigation to finish.
    with editor.expect_navigation():
        approve.click()
    feature.refresh_from_db()
    assert feature.live

    # An anonymous visitor finds it in this month's rubric and reads it.
    reader = browser.new_context().new_page()
    reader.goto(f"{base}{rubric.url}")
    link = reader.get_by_role("link", name=TITLE).first
    expect(link).to_be_visible()
    assert_nothing_overlaps_footer(reader)
    link.click()
    reader.wait_for_url(f"**{feature.url}")
    expect(reader.locator("h1")).to_have_text(TITLE)
    expect(reader.locator("main")).to_contain_text("Aïssatou Ndiaye")


def test_the_demo_delegation_admin_approves_a_membership_request(browser, live_server, demo_site):
    base = live_server.url
    prefecture = Organisation.objects.get(kind=Organisation.Kind.PREFECTURE)
    applicant = UserFactory(
        username="julie.bernard",
        email="julie.bernard@bretagne.example",
        first_name="Julie",
        last_name="Bernard",
    )
    request = Membership.objects.create(
        user=applicant, organisation=prefecture, message="Chargée de mission coopération décentralisée"
    )
    group = Group.objects.get(name=GROUP_BY_ROLE[ROLE_BY_KIND[prefecture.kind]])
    assert not applicant.groups.filter(pk=group.pk).exists()

    admin = browser.new_context().new_page()
    log_in(admin, base, "demo.delegation.admin")
    admin.goto(f"{base}/admin/")
    admin.get_by_role("button", name="Extranet").click()
    admin.get_by_role("link", name="Demandes d’adhésion").click()
    admin.wait_for_url("**/admin/extranet/adhesions/?status=pending")
    row = admin.locator("tbody tr", has_text="julie.bernard")
    row.get_by_role("link", name="Décider").click()
    admin.wait_for_url(f"**/admin/extranet/adhesions/{request.pk}/decider/")
    expect(admin.locator("main")).to_contain_text("Chargée de mission coopération décentralisée")
    with admin.expect_navigation():
        admin.get_by_role("button", name="Approuver").click()
    expect(admin.get_by_text("Décision enregistrée")).to_be_visible()
    expect(admin.locator("tbody tr", has_text="julie.bernard")).to_have_count(0)

    request.refresh_from_db()
    assert request.status == Membership.Status.APPROVED
    assert request.decided_by.username == "demo.delegation.admin"
    assert applicant.groups.filter(pk=group.pk).exists()
    [message] = [message for message in mail.outbox if applicant.email in message.to]
    assert "approuvée" in message.subject
