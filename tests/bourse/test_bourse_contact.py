"""A visitor without an account expresses interest in a Bourse project through a form in English (or French):
the request is kept for the embassy of the project's country, e-mailed to its agents (who answer the visitor
by replying) and acknowledged to the visitor in the page's language. Robots, floods and bad input are refused
with the typed text kept and nothing stored or sent."""

import pytest

from django.contrib.auth.models import Group
from django.test import override_settings

from atlas.bourse.links import bourse_url
from atlas.bourse.models import BourseContactRequest
from atlas.models import Country
from portal.accounts.scope import DELEGATION_GROUP
from tests.accounts.factories import EmbassyFactory, UserFactory, agent_of
from tests.atlas.factories import BoursePageFactory, BourseProjectFactory, PartnerAuthorityFactory

VALID = {
    "name": "Awa Ndiaye",
    "organisation": "Commune de Saint-Louis",
    "country": "senegal",
    "email": "awa@example.org",
    "message": "Our municipality runs a market too: we would like to share what we learnt.",
    "consent": "on",
}


@pytest.fixture
def world(home):
    senegal = Country.objects.get(code="SN")
    embassy = EmbassyFactory(name="Ambassade de France au Sénégal", countries=[senegal])
    BoursePageFactory(parent=home, slug="bourse-projets")
    project = BourseProjectFactory(
        partner=PartnerAuthorityFactory(name="Saint-Louis", country=senegal),
        embassy=embassy,
        title="Gestion des déchets du marché",
        title_en="Market waste management",
    )
    agents = [agent_of(embassy), agent_of(embassy)]
    return project, embassy, agents


def contact_url(project, language="en"):
    url = bourse_url("contact", project.pk)
    return f"/{language}{url}" if language != "fr" else url


@pytest.mark.django_db
def test_an_english_visitor_writes_to_the_embassy(client, world, mailoutbox):
    project, _embassy, agents = world
    page = client.get(contact_url(project))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tell the embassy you are interested" in html
    assert "Market waste management" in html
    assert "Your e-mail address" in html

    response = client.post(contact_url(project), VALID)
    assert response.status_code == 302
    assert response["Location"].endswith("?envoye=1")
    assert "Your message is sent" in client.get(response["Location"]).content.decode()

    request = BourseContactRequest.objects.get()
    assert (request.project, request.name, request.country.code, request.language) == (
        project,
        "Awa Ndiaye",
        "SN",
        "en",
    )
    to_embassy = [mail for mail in mailoutbox if mail.to[0] in {agent.email for agent in agents}]
    assert sorted(mail.to[0] for mail in to_embassy) == sorted(agent.email for agent in agents)
    for mail in to_embassy:
        assert mail.reply_to == ["awa@example.org"]  # the embassy answers the visitor by replying
        assert "Awa Ndiaye" in mail.subject
        assert VALID["message"] in mail.body
        assert "awa@example.org" in mail.body
    (receipt,) = [mail for mail in mailoutbox if mail.to == ["awa@example.org"]]
    # In the page's language, with the project's English title.
    assert receipt.subject == "Your interest in “Market waste management” has reached the embassy"
    assert "The French embassy has received your message" in receipt.body


@pytest.mark.django_db
def test_a_french_visitor_gets_the_form_and_its_errors_in_french(client, world, mailoutbox):
    project, _embassy, _agents = world
    response = client.post(contact_url(project, "fr"), {**VALID, "email": "pas-une-adresse", "consent": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Saisissez une adresse e-mail valide." in html
    assert "Champ requis." in html  # the consent
    assert 'value="Awa Ndiaye"' in html  # what was typed is kept
    assert VALID["message"] in html
    assert not BourseContactRequest.objects.exists()
    assert not mailoutbox


@pytest.mark.django_db
def test_errors_are_in_english_under_en_and_keep_the_typed_text(client, world, mailoutbox):
    project, _embassy, _agents = world
    response = client.post(contact_url(project), {**VALID, "message": "   ", "country": "atlantide"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "This field is required." in html
    assert "Select a valid choice." in html
    assert 'value="Commune de Saint-Louis"' in html
    assert not BourseContactRequest.objects.exists()
    assert not mailoutbox


@pytest.mark.django_db
def test_the_country_list_is_in_the_page_language_and_order(client, world):
    english = client.get(contact_url(project := world[0])).content.decode()
    french = client.get(contact_url(project, "fr")).content.decode()
    assert english.index(">Germany<") < english.index(">Senegal<") < english.index(">Spain<")
    assert french.index(">Allemagne<") < french.index(">Espagne<") < french.index(">Sénégal<")


@pytest.mark.django_db
def test_a_robot_filling_the_honeypot_is_refused(client, world, mailoutbox):
    project, _embassy, _agents = world
    response = client.post(contact_url(project), {**VALID, "website": "http://spam.example"})
    assert response.status_code == 400
    assert not BourseContactRequest.objects.exists()
    assert not mailoutbox


@pytest.mark.django_db
@override_settings(BOURSE_CONTACT_RATE_LIMIT=2)
def test_a_flood_from_one_address_is_stopped(client, world, mailoutbox):
    project, _embassy, _agents = world
    for _ in range(2):
        assert client.post(contact_url(project), VALID).status_code == 302
    sent = len(mailoutbox)
    response = client.post(contact_url(project), VALID)
    assert response.status_code == 429
    assert "please try again in an hour" in response.content.decode()
    assert 'value="Awa Ndiaye"' in response.content.decode()
    assert BourseContactRequest.objects.count() == 2
    assert len(mailoutbox) == sent
    # Another visitor is not held back by the first one.
    other = client.post(contact_url(project), VALID, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302


@pytest.mark.django_db
def test_a_project_the_public_does_not_see_has_no_form(client, world):
    project, _embassy, _agents = world
    project.live = False
    project.save()
    assert client.get(contact_url(project)).status_code == 404
    assert client.post(contact_url(project), VALID).status_code == 404
    assert not BourseContactRequest.objects.exists()


@pytest.mark.django_db
def test_without_an_embassy_agent_the_delegation_is_told(client, home, mailoutbox):
    BoursePageFactory(parent=home, slug="bourse-projets")
    project = BourseProjectFactory(partner=PartnerAuthorityFactory(country=Country.objects.get(code="ML")))
    admin = UserFactory(is_superuser=True)
    delegation = UserFactory()
    delegation.groups.add(Group.objects.get_or_create(name=DELEGATION_GROUP)[0])
    assert client.post(contact_url(project), {**VALID, "country": "mali"}).status_code == 302
    told = {mail.to[0] for mail in mailoutbox} - {"awa@example.org"}
    assert told == {admin.email, delegation.email}


@pytest.mark.django_db
def test_the_embassy_reads_its_countries_requests_escaped(client, world):
    project, embassy, agents = world
    mali_project = BourseProjectFactory(
        partner=PartnerAuthorityFactory(country=Country.objects.get(code="ML"))
    )
    BourseContactRequest.objects.create(
        project=project,
        name="<b>Awa</b>",
        organisation="Commune",
        country=project.country,
        email="awa@example.org",
        message="<script>alert(1)</script>",
        language="en",
    )
    BourseContactRequest.objects.create(
        project=mali_project,
        name="Moussa du Mali",
        organisation="Commune",
        country=mali_project.country,
        email="moussa@example.org",
        message="Bonjour",
        language="fr",
    )
    client.force_login(agents[0])
    listing = client.get("/admin/snippets/atlas/boursecontactrequest/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "&lt;b&gt;Awa&lt;/b&gt;" in html
    assert "<b>Awa</b>" not in html
    assert "Moussa du Mali" not in html
    own = BourseContactRequest.objects.get(project=project)
    inspect = client.get(f"/admin/snippets/atlas/boursecontactrequest/inspect/{own.pk}/")
    assert inspect.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in inspect.content.decode()
    other = BourseContactRequest.objects.get(project=mali_project)
    assert client.get(f"/admin/snippets/atlas/boursecontactrequest/inspect/{other.pk}/").status_code in (
        302,
        403,
        404,
    )


@pytest.mark.django_db
def test_the_demo_has_a_request_for_the_senegal_embassy(demo_site):
    request = BourseContactRequest.objects.select_related("project__country").get()
    assert request.project.country.code == "SN"
    assert request.project.title_en  # the demo's project in English
