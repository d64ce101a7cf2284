"""An English-speaking partner browses the Bourse under /en/, opens a project, and tells the embassy they are
interested through the form in English, without an account; the embassy's agents get the request by e-mail
(django's locmem mailbox, through the mail task)."""

import pytest
from playwright.sync_api import expect

from django.contrib.auth import get_user_model

from atlas.bourse.models import BourseContactRequest, BourseProject
from tests.browser.conftest import assert_accessible, wait_for_map

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


TITLE_EN = "Waste management at Saint-Louis central market"


@pytest.fixture
def bourse(demo_site):
    """The demo: its English tree, a Bourse project the Sénégal embassy translated, the embassy's agent."""
    project = BourseProject.objects.get(title_en=TITLE_EN)
    agent = get_user_model().objects.get(username="demo.embassy.agent")
    return project, agent


def test_an_english_partner_expresses_interest(page, live_server, bourse, mailoutbox):
    project, agent = bourse
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Bourse-projets").click()
    page.wait_for_url("**/en/bourse-projets/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    wait_for_map(page)
    assert_accessible(page)

    page.get_by_role("link", name=TITLE_EN).click()
    page.wait_for_url(f"**/en/bourse-projets/projets/{project.pk}/")
    expect(page.locator("h1")).to_have_text(TITLE_EN)
    expect(page.locator(".bourse-french[lang=fr]")).to_contain_text(project.title)
    expect(page.locator(".atlas-facts")).to_contain_text("Environment and climate")
    wait_for_map(page)
    assert_accessible(page)

    page.get_by_role("link", name="Write to the embassy").click()
    page.wait_for_url("**/contact/")
    expect(page.locator("h1")).to_have_text("Tell the embassy you are interested")
    assert_accessible(page)
    page.get_by_label("Your name").fill("Fatou Sow")
    page.get_by_label("Your organisation").fill("Saint-Louis municipal council")
    page.get_by_label("Your country").select_option(label="Senegal")
    page.get_by_label("Your message to the embassy").fill("We would like to discuss the project with you.")
    page.get_by_label("Your e-mail address").fill("fatou@example.org")
    page.locator("label[for=id_consent]").click()
    page.get_by_role("button", name="Send to the embassy").click()
    expect(page.get_by_role("status")).to_contain_text("Your message is sent")
    assert_accessible(page)

    request = BourseContactRequest.objects.get(name="Fatou Sow")
    assert (request.name, request.language) == ("Fatou Sow", "en")
    (to_embassy,) = [mail for mail in mailoutbox if mail.to == [agent.email]]
    assert "Fatou Sow" in to_embassy.subject
    assert to_embassy.reply_to == ["fatou@example.org"]
    (receipt,) = [mail for mail in mailoutbox if mail.to == ["fatou@example.org"]]
    assert "has reached the embassy" in receipt.subject
