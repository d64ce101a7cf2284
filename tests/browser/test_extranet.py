"""The journey of a new member: sign up, confirm the address, join an authority, get approved, correct the
officials part of the Atlas, confirm it, and see it on the public page."""

import re

import pytest

from django.core import mail

from portal.accounts.models import Membership
from tests.accounts.factories import OrganisationFactory, agent_of
from tests.atlas.factories import AtlasPageFactory
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "un mot de passe solide 2026"


def log_in(page, base, username, password=PASSWORD):
    page.goto(f"{base}/compte/connexion/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/compte/")


def test_new_member_corrects_and_confirms_its_authority_records(browser, live_server, home):
    base = live_server.url
    atlas = AtlasPageFactory(parent=home, slug="atlas")
    rennes = OrganisationFactory(name="Ville de Rennes")
    manager = agent_of(rennes, role=Membership.Role.MANAGER)

    member = browser.new_context().new_page()
    member.goto(f"{base}/compte/inscription/")
    assert_accessible(member)
    member.fill("#id_first_name", "Claire")
    member.fill("#id_last_name", "Martin")
    member.fill("#id_email", "claire.martin@rennes.example")
    member.fill("#id_password1", PASSWORD)
    member.fill("#id_password2", PASSWORD)
    member.locator("main button[type=submit]").click()
    member.wait_for_selector("text=Consultez votre messagerie")
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    member.goto(link)
    log_in(member, base, "claire.martin@rennes.example")
    member.get_by_role("link", name="Rejoindre une organisation").first.click()
    member.select_option("#id_organisation", label="Ville de Rennes")
    member.fill("#id_message", "Chargée des relations internationales")
    member.locator("main button[type=submit]").click()
    member.wait_for_selector("text=en attente de validation")

    approver = browser.new_context().new_page()
    log_in(approver, base, manager.username)
    approver.get_by_role("button", name="Approuver").click()
    approver.wait_for_selector("text=Décision enregistrée")
    assert "approuvée" in mail.outbox[-1].subject

    member.goto(f"{base}/admin/snippets/atlas/contact/add/")
    member.select_option("#id_kind", "elected")
    member.fill("#id_first_name", "Anne")
    member.fill("#id_last_name", "Le Goff")
    member.fill("#id_title", "Adjointe aux relations internationales")
    member.fill("#id_email", "anne.legoff@rennes.example")
    # The authority chooser is a modal; its hidden input is what the form posts.
    member.locator("#id_authority").evaluate("(el, value) => { el.value = value; }", str(rennes.authority_id))
    member.locator("button.action-save").first.click()
    member.wait_for_url("**/admin/snippets/atlas/contact/")
    member.goto(f"{base}/admin/atlas/mes-fiches/")
    member.locator("tr", has_text="Élus et cadres territoriaux").get_by_role(
        "button", name="J’ai vérifié cette partie"
    ).click()
    member.wait_for_selector("text=est confirmée pour")

    public = browser.new_context().new_page()
    public.goto(f"{base}{atlas.url}collectivites/{rennes.authority.slug}/")
    assert public.get_by_text("Anne Le Goff").count() == 1
    # One line per part: this one confirmed today, the others not yet.
    assert public.get_by_text("Élus et cadres territoriaux : confirmée le").count() == 1
    assert public.get_by_text("Associations et réseaux : non confirmée").count() == 1
