"""The tourism workflow, role by role: moderators approve or send back in the admin, nobody else can, and the
author hears of it once, in French, with a link to their contributions."""

import pytest

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse

from wagtail.models import Page, WorkflowState

from pages.workflow import COMMUNICATION_GROUP, EDITOR_IN_CHIEF_GROUP, ensure_editorial_workflow
from portal.accounts.scope import DELEGATION_GROUP
from tests.accounts.factories import UserFactory
from tests.atlas.factories import AuthorityFactory, ProjectFactory
from tests.pages import factories as page_factories
from tests.tourism.factories import ExperiencePageFactory
from tourism.models import ExperiencePage


@pytest.fixture
def submitted(experiences_index, member):
    """An experience the member wrote and submitted: not live, a workflow in progress."""
    page = ExperiencePageFactory(parent=experiences_index, slug="casamance", owner=member, live=False)
    page.save_revision(user=member)
    page.get_workflow().start(page, member)
    mail.outbox.clear()
    return page


def in_group(name, **kwargs):
    user = UserFactory(**kwargs)
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    return user


def action_url(page, action):
    task_state = page.current_workflow_task_state
    return reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])


def test_the_platform_is_moderated_by_the_tourism_moderators(tourism_home, experiences_index):
    workflow = experiences_index.get_workflow()
    assert workflow.name == "Modération tourisme"
    groups = {group.name for task in workflow.tasks.specific() for group in task.groups.all()}
    assert groups == {"Modérateurs tourisme"}


def test_submitting_tells_the_moderators(experiences_index, member, moderator):
    page = ExperiencePageFactory(parent=experiences_index, slug="nouvelle", owner=member, live=False)
    page.save_revision(user=member)
    page.get_workflow().start(page, member)
    assert [message.to for message in mail.outbox] == [[moderator.email]]


def test_the_moderator_approves_in_the_admin_and_the_author_is_told_once(
    client, submitted, moderator, member
):
    client.force_login(moderator)
    response = client.post(action_url(submitted, "approve"), {"comment": ""})
    assert response.status_code in (200, 302)
    page = ExperiencePage.objects.get(pk=submitted.pk)
    assert page.live
    assert (
        WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(page.pk)).status
        == "approved"
    )
    assert len(mail.outbox) == 1, [message.subject for message in mail.outbox]
    message = mail.outbox[0]
    assert message.to == [member.email]
    assert message.subject == "Votre expérience « Un village d’accueil en Casamance » est publiée"
    assert "http://testserver" + page.url in message.body
    assert "/compte/tourisme/" in message.body


def test_the_moderator_sends_it_back_with_a_comment(client, submitted, moderator, member):
    client.force_login(moderator)
    response = client.post(
        action_url(submitted, "reject"), {"comment": "Précisez qui finance l’école, s’il vous plaît."}
    )
    assert response.status_code in (200, 302)
    page = ExperiencePage.objects.get(pk=submitted.pk)
    assert not page.live
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.email]
    assert "vous demande de modifier" in message.body
    assert "Précisez qui finance l’école, s’il vous plaît." in message.body


@pytest.mark.parametrize(
    "group",
    [COMMUNICATION_GROUP, EDITOR_IN_CHIEF_GROUP, "Agents de collectivité", "Membres"],
)
def test_other_roles_cannot_approve_or_send_back(client, submitted, group):
    client.force_login(in_group(group))
    for action in ("approve", "reject"):
        response = client.post(action_url(submitted, action), {"comment": "non"})
        assert response.status_code in (302, 403), (group, action, response.status_code)
    page = ExperiencePage.objects.get(pk=submitted.pk)
    assert not page.live
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert mail.outbox == []


def test_the_author_cannot_approve_their_own_experience(client, submitted, member):
    client.force_login(member)
    response = client.post(action_url(submitted, "approve"), {"comment": ""})
    assert response.status_code in (302, 403)
    assert not Page.objects.get(pk=submitted.pk).live


def test_the_delegation_administrator_has_the_comment_permissions(tourism_home):
    permissions = set(Group.objects.get(name=DELEGATION_GROUP).permissions.values_list("codename", flat=True))
    assert {"view_experiencecomment", "change_experiencecomment"} <= permissions


def test_editorial_pages_keep_wagtails_own_notifications(home):
    """Our notifier skips only the members' contributions: a sent-back feature still tells its writer."""
    rubric = page_factories.RubricPageFactory(parent=home, slug="rubrique")
    ensure_editorial_workflow(apps, rubric.pk)
    writer = in_group(COMMUNICATION_GROUP, email="redaction@example.org")
    chief = in_group(EDITOR_IN_CHIEF_GROUP, email="chef@example.org")
    page = page_factories.TestimonyPageFactory(parent=rubric, slug="temoignage", live=False)
    page.save_revision(user=writer)
    page.get_workflow().start(page, writer)
    mail.outbox.clear()
    task_state = page.current_workflow_task_state
    task_state.task.specific.on_action(task_state, chief, "reject", comment="À reprendre")
    assert [message.to for message in mail.outbox] == [[writer.email]]


def test_moderators_choose_any_authority_and_project_in_the_admin(client, moderator):
    """The Atlas choosers are not limited by the organisation rule: a moderator links any record."""
    AuthorityFactory(name="Ville de Chambéry")
    ProjectFactory(title="Accueil touristique à Oussouye")
    client.force_login(moderator)
    authorities = client.get(reverse("wagtailsnippetchoosers_atlas_authority:choose"))
    projects = client.get(reverse("wagtailsnippetchoosers_atlas_project:choose"))
    assert "Ville de Chambéry" in authorities.json()["html"]
    assert "Accueil touristique à Oussouye" in projects.json()["html"]
