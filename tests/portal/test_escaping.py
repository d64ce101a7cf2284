"""User text is shown as text: in pages, in the success messages (DSFR alerts), and in plain-text e-mails."""

from pathlib import Path

import pytest

from django.template import engines
from django.template.base import TextNode
from django.template.defaulttags import AutoEscapeControlNode, LoadNode
from django.urls import reverse
from django.utils.html import escape

from portal.accounts.models import Album, Membership, SavedMap
from tests.accounts.factories import OrganisationFactory, UserFactory, agent_of
from tests.conftest import ROOT

HOSTILE = "<script>alert(1)</script> O'Brien & fils"


def shown_as_text(html):
    """The hostile title is in the page, escaped, and nowhere as markup."""
    return escape(HOSTILE) in html and "<script>alert(1)</script>" not in html


@pytest.fixture
def member(client, db):
    user = UserFactory(first_name="Claire")
    client.force_login(user)
    return user


def test_an_album_title_is_text_in_the_success_message_and_the_space(client, member):
    response = client.post(reverse("accounts:personal_album_create"), {"title": HOSTILE}, follow=True)
    assert Album.objects.get(owner=member).title == HOSTILE
    html = response.text
    assert 'class="fr-alert fr-alert--success' in html
    assert shown_as_text(html)


def test_a_saved_map_title_is_text_in_the_success_message_and_the_space(client, member):
    response = client.post(
        reverse("accounts:personal_map_save"), {"title": HOSTILE, "query": "country=mali"}, follow=True
    )
    assert SavedMap.objects.get(owner=member).title == HOSTILE
    assert 'class="fr-alert fr-alert--success' in response.text
    assert shown_as_text(response.text)


def test_an_organisation_name_is_text_in_pages_and_plain_in_the_decision_email(client, member, mailoutbox):
    organisation = OrganisationFactory(name=HOSTILE)
    response = client.post(reverse("accounts:join"), {"organisation": organisation.pk}, follow=True)
    assert 'class="fr-alert fr-alert--success' in response.text
    assert shown_as_text(response.text)

    manager = agent_of(organisation, role=Membership.Role.MANAGER)
    client.force_login(manager)
    assert shown_as_text(client.get(reverse("accounts:dashboard")).text)
    membership = Membership.objects.get(user=member)
    client.post(reverse("accounts:decide", args=[membership.pk]), {"decision": "approve"})

    # A plain-text e-mail says the name as it was typed: no HTML entities.
    mail = mailoutbox[-1]
    assert HOSTILE in mail.subject
    assert HOSTILE in mail.body
    assert "&lt;" not in mail.body + mail.subject
    assert "&#x27;" not in mail.body + mail.subject


def email_templates():
    return sorted(
        path
        for path in ROOT.glob("**/templates/**/emails/*.txt")
        if ".venv" not in path.parts and "node_modules" not in path.parts
    )


@pytest.mark.parametrize("path", email_templates(), ids=lambda path: str(Path(path).relative_to(ROOT)))
def test_every_plain_text_email_template_turns_autoescape_off(path):
    """A .txt e-mail is not HTML: Django would otherwise write O'Brien as O&#x27;Brien in it."""
    template = engines["django"].from_string(path.read_text())
    nodes = [
        node
        for node in template.template.nodelist
        if not isinstance(node, LoadNode) and not (isinstance(node, TextNode) and not node.s.strip())
    ]
    hint = "wrap the whole template in {% autoescape off %}…{% endautoescape %}"
    assert len(nodes) == 1, hint
    assert isinstance(nodes[0], AutoEscapeControlNode), hint
    assert not nodes[0].setting, hint
