import pytest

from wagtail.contrib.forms.models import FormSubmission

from tests.conftest import ROOT
from tests.pages.factories import ContactPageFactory


@pytest.fixture
def contact(home):
    return ContactPageFactory(parent=home, slug="contact")


def test_contact_form_mails_the_team_and_thanks(client, contact, mailoutbox):
    response = client.post(contact.url, {"nom": "Jeanne", "message": "Bonjour", "website": ""})
    assert response.status_code == 200
    assert "contact_page_landing" in response.templates[0].name
    assert FormSubmission.objects.filter(page=contact).count() == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["equipe@example.org"]
    assert "Bonjour" in mailoutbox[0].body


def test_honeypot_refuses_without_saving_or_mailing(client, contact, mailoutbox):
    response = client.post(contact.url, {"nom": "Robot", "message": "Spam", "website": "http://spam.example"})
    assert response.status_code == 400
    assert not FormSubmission.objects.exists()
    assert mailoutbox == []


def test_honeypot_is_hidden_from_people(client, contact):
    html = client.get(contact.url).text
    assert 'class="portal-honeypot" aria-hidden="true"' in html
    assert "/static/css/portal.css" in html
    css = (ROOT / "static" / "css" / "portal.css").read_text()
    assert ".portal-honeypot { position: absolute; left: -10000px;" in css
    assert "Leave this field empty" in html or "Laissez ce champ vide" in html
