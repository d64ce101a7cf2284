import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from wagtail.models import Page, WorkflowPage
from wagtail.test.utils.form_data import nested_form_data, streamfield

from pages import models
from pages.workflow import COMMUNICATION_GROUP, EDITOR_IN_CHIEF_GROUP, WORKFLOW_NAME


def make_user(name, group):
    user = get_user_model().objects.create_user(name, f"{name}@example.org", "pw")
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def officer(rubric):
    return make_user("officer", COMMUNICATION_GROUP)


@pytest.fixture
def chief(rubric):
    return make_user("chief", EDITOR_IN_CHIEF_GROUP)


def feature_form(slug, action):
    return nested_form_data(
        {
            "title": "Un témoignage d’élue",
            "slug": slug,
            "intro": "",
            "body": streamfield([]),
            "month": "2026-03-01",
            "speaker_name": "Marie Dupont",
            "speaker_role": "elected",
            "speaker_title": "",
            "pull_quote": "",
            action: "1",
        }
    )


def add_url(rubric):
    return reverse("wagtailadmin_pages:add", args=("pages", "testimonypage", rubric.pk))


def test_migration_created_the_groups_and_the_workflow(rubric):
    assert Group.objects.filter(name__in=[COMMUNICATION_GROUP, EDITOR_IN_CHIEF_GROUP]).count() == 2
    assert WorkflowPage.objects.get(page=rubric).workflow.name == WORKFLOW_NAME


def test_officer_submits_and_the_editor_in_chief_approves(client, rubric, officer, chief):
    client.force_login(officer)
    response = client.post(add_url(rubric), feature_form("temoignage-elue", "action-submit"))
    assert response.status_code == 302, response.content[:3000]
    page = models.TestimonyPage.objects.get(locale__language_code="fr", slug="temoignage-elue")
    assert not page.live
    task_state = page.current_workflow_task_state
    assert task_state is not None
    assert task_state.task.name == "Validation par la rédaction en chef"
    task_state.task.specific.on_action(task_state, chief, "approve")
    page.refresh_from_db()
    assert page.live


def test_officer_cannot_publish_directly(client, rubric, officer):
    client.force_login(officer)
    client.post(add_url(rubric), feature_form("direct", "action-publish"))
    page = models.TestimonyPage.objects.filter(locale__language_code="fr", slug="direct").first()
    assert page is None or not page.live


def test_editor_in_chief_can_publish(client, rubric, chief):
    client.force_login(chief)
    response = client.post(add_url(rubric), feature_form("publie", "action-publish"))
    assert response.status_code == 302
    assert models.TestimonyPage.objects.get(locale__language_code="fr", slug="publie").live


def test_officer_cannot_add_outside_the_rubric(client, rubric, officer, home):
    client.force_login(officer)
    url = reverse("wagtailadmin_pages:add", args=("pages", "standardpage", home.pk))
    assert client.get(url).status_code in (302, 403)
    assert not Page.objects.filter(slug="dehors").exists()


def test_preview_on_edit_renders(client, rubric, chief):
    client.force_login(chief)
    client.post(add_url(rubric), feature_form("apercu", "action-publish"))
    page = models.TestimonyPage.objects.get(locale__language_code="fr", slug="apercu")
    url = reverse("wagtailadmin_pages:preview_on_edit", args=(page.pk,))
    response = client.post(url, feature_form("apercu", "action-publish"))
    assert response.json()["is_valid"]
    response = client.get(url)
    assert response.status_code == 200
    assert "Marie Dupont" in response.text
