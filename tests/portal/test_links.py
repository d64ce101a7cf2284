"""Links in e-mails follow the address the site is served at, not a fixed 127.0.0.1:8000."""

import pytest

from django.core import mail
from django.test import override_settings
from django.urls import reverse

from portal.core.links import absolute
from tests.tourism.conftest import experiences_index, member, moderator, tourism_home  # noqa: F401
from tests.tourism.factories import ExperiencePageFactory

HOST = "portail.example.org:8001"


@pytest.fixture
def submitted(experiences_index, member):  # noqa: F811
    page = ExperiencePageFactory(parent=experiences_index, slug="casamance", owner=member, live=False)
    page.save_revision(user=member)
    page.get_workflow().start(page, member)
    mail.outbox.clear()
    return page


@override_settings(ALLOWED_HOSTS=["portail.example.org"])
def test_an_email_sent_while_answering_a_request_links_to_the_host_it_came_to(client, submitted, moderator):  # noqa: F811
    """The approval e-mail is sent by a workflow signal, which is not handed the request."""
    client.force_login(moderator)
    task_state = submitted.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[submitted.pk, "approve", task_state.pk])
    response = client.post(url, {"comment": ""}, HTTP_HOST=HOST)
    assert response.status_code in (200, 302)
    [message] = mail.outbox
    assert f"http://{HOST}{reverse('tourism:contributions')}" in message.body
    assert "testserver" not in message.body
    assert "127.0.0.1" not in message.body


@override_settings(WAGTAILADMIN_BASE_URL="http://localhost:8001/")
def test_without_a_request_links_follow_the_configured_address():
    assert absolute("/bourse-projets/") == "http://localhost:8001/bourse-projets/"


@override_settings(WAGTAILADMIN_BASE_URL="")
def test_without_a_request_or_a_configured_address_links_follow_the_wagtail_site(home):
    from wagtail.models import Site

    Site.objects.filter(is_default_site=True).update(hostname="portail.example.org", port=443)
    assert absolute("/atlas/") == "https://portail.example.org/atlas/"
