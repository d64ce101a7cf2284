# ruff: noqa: F811 (the `world` fixture is imported)
"""The update campaign in the browser: the Délégation opens it (the e-mails leave), the prefecture follows its
territory on the map and the table and reminds a late authority (once: the second reminder is refused in
French), the authority agent verifies a part of its records."""

import pytest

from django.core import mail

from atlas.campaigns.models import CampaignReminder, UpdateCampaign
from atlas.models import PartConfirmation
from tests.browser.conftest import assert_accessible
from tests.browser.test_extranet import log_in
from tests.campaigns.conftest import world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def admin_log_in(page, base, user):
    log_in(page, base, user.username)


def test_the_delegation_opens_the_prefecture_reminds_the_authority_verifies(browser, live_server, world):
    base = live_server.url

    delegation = browser.new_context().new_page()
    admin_log_in(delegation, base, world["delegation_admin"])
    delegation.goto(f"{base}/admin/campagnes/")
    delegation.get_by_role("link", name="Ouvrir une campagne").click()
    delegation.fill("textarea[name=message]", "Merci de vérifier votre fiche avant l’été.")
    delegation.get_by_role("button", name="Ouvrir la campagne et envoyer les courriels").click()
    delegation.wait_for_selector("text=est ouverte : 5 courriels sont en cours d’envoi.")
    assert delegation.locator("dl.campaign-figures dd").nth(1).inner_text() == "5"
    assert len(mail.outbox) == 5
    assert any("Merci de vérifier votre fiche avant l’été." in message.body for message in mail.outbox)
    campaign = UpdateCampaign.objects.get()

    prefecture = browser.new_context().new_page()
    admin_log_in(prefecture, base, world["prefecture_agent"])
    prefecture.goto(f"{base}/admin/campagnes/")
    prefecture.get_by_role("link", name=f"Avancement {campaign.year}").click()
    prefecture.wait_for_selector("figure.campaign-map svg[role=img]")
    # The map: Finistère (Brest) and Ille-et-Vilaine (Rennes) carry their figures; Lyon's Rhône nothing.
    assert prefecture.locator("figure.campaign-map text", has_text="29").count() == 1
    assert "Finistère (29) : à jour 0 sur 1" in prefecture.locator("figure.campaign-map").inner_html()
    table = prefecture.locator("table.campaign-table")
    assert table.get_by_role("link", name="29 – Finistère").count() == 1
    assert table.get_by_text("Rhône").count() == 0
    assert_accessible(prefecture)

    late = prefecture.locator("table.campaign-late")
    assert late.get_by_role("rowheader", name="Brest Métropole").count() == 1
    assert late.get_by_text("Ville de Lyon").count() == 0
    prefecture.get_by_role("button", name="Relancer Brest Métropole").click()
    prefecture.wait_for_selector("text=Brest Métropole est relancée (1 destinataires).")
    assert mail.outbox[-1].to == ["relations@brest.fr"]
    prefecture.get_by_role("button", name="Relancer Brest Métropole").click()
    prefecture.wait_for_selector("text=Brest Métropole a déjà été relancée le")
    assert prefecture.get_by_text("une nouvelle relance est possible à partir du").count() == 1
    assert CampaignReminder.objects.count() == 1
    assert len(mail.outbox) == 6

    agent = browser.new_context().new_page()
    admin_log_in(agent, base, world["authority_agent"])
    agent.goto(f"{base}/admin/campagnes/ma-campagne/")
    agent.wait_for_selector("text=5 parties restent à vérifier.")
    assert_accessible(agent)
    agent.get_by_role("button", name="J’ai vérifié cette partie (élus et cadres territoriaux)").click()
    # Back on "Mes fiches Atlas", whose campaign panel counts what is left.
    agent.wait_for_selector(".campaign-panel >> text=4 parties restent à vérifier")
    assert PartConfirmation.objects.filter(authority=world["rennes"], part="contacts").count() == 1
    agent.goto(f"{base}/admin/campagnes/ma-campagne/")
    agent.wait_for_selector("text=4 parties restent à vérifier.")
