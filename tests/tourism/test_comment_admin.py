"""The "Tourisme responsable" menu of the Wagtail admin: the comments' listing and the moderator's decision,
the themes, the dashboard count. Refused attempts leave nothing changed."""

import re

import pytest

from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from wagtail.models import ModelLogEntry

from portal.accounts.scope import DELEGATION_GROUP
from tests.accounts.factories import OrganisationFactory, UserFactory, agent_of
from tests.tourism.factories import ExperienceCommentFactory, ExperiencePageFactory
from tourism.models import CommentReport, ExperienceComment, TourismTheme

VISIBLE = ExperienceComment.Status.VISIBLE
REPORTED = ExperienceComment.Status.REPORTED
HIDDEN = ExperienceComment.Status.HIDDEN


def fr(message):
    with translation.override("fr"):
        return str(translation.gettext(message))


def admin_url(view, pk=None):
    return reverse(f"tourism_comments:{view}", args=[pk] if pk is not None else [])


@pytest.fixture
def experience(experiences_index):
    return ExperiencePageFactory(parent=experiences_index, slug="village-casamance", title="Village de Mlomp")


@pytest.fixture
def comments(experience, member):
    """One of each: visible and never reported, visible with one report, hidden by reports, hidden."""
    quiet = ExperienceCommentFactory(experience=experience, author=member, body="Un commentaire paisible")
    reported_once = ExperienceCommentFactory(experience=experience, body="Signalé une fois")
    CommentReport.objects.create(comment=reported_once, reporter=UserFactory(), reason="Doute")
    awaiting = ExperienceCommentFactory(
        experience=experience, body="Masqué par les signalements", status=REPORTED
    )
    for _n in range(3):
        CommentReport.objects.create(comment=awaiting, reporter=UserFactory())
    hidden = ExperienceCommentFactory(experience=experience, body="Masqué par la modération", status=HIDDEN)
    return {"quiet": quiet, "reported_once": reported_once, "awaiting": awaiting, "hidden": hidden}


def admin_user(group_name):
    user = UserFactory()
    group, _ = Group.objects.get_or_create(name=group_name)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    return user


def refused_users():
    return {
        "communication_officer": admin_user("Chargés de communication"),
        "member_with_admin_access": admin_user("Membres"),
        "authority_agent": agent_of(OrganisationFactory()),
    }


def snapshot():
    return {
        "comments": sorted(
            ExperienceComment.objects.values_list("pk", "body", "status", "reviewed_at", "reviewed_by")
        ),
        "reports": CommentReport.objects.count(),
        "logs": ModelLogEntry.objects.count(),
    }


# The listing ------------------------------------------------------------------------------------------------


def test_moderator_lists_the_comments_with_their_columns(client, moderator, comments):
    client.force_login(moderator)
    response = client.get(admin_url("index"))
    assert response.status_code == 200
    html = response.text
    for comment in comments.values():
        assert comment.body in html
        assert admin_url("edit", comment.pk) in html
    assert "Village de Mlomp" in html
    assert re.search(r"<td\s*>\s*3\s*</td>", html)  # the number of reports of the hidden one
    assert "/new/" not in html  # no add button


def test_listing_filters_by_status_and_awaiting_moderator(client, moderator, comments):
    client.force_login(moderator)
    html = client.get(admin_url("index"), {"status": "reported"}).text
    assert "Masqué par les signalements" in html
    assert "Un commentaire paisible" not in html
    assert "Masqué par la modération" not in html

    html = client.get(admin_url("index"), {"awaiting": "true"}).text
    assert "Masqué par les signalements" in html
    assert "Signalé une fois" in html
    assert "Un commentaire paisible" not in html
    assert "Masqué par la modération" not in html

    html = client.get(admin_url("index"), {"q": "paisible"}).text
    assert "Un commentaire paisible" in html
    assert "Signalé une fois" not in html


def test_queries_of_the_listing_do_not_grow(client, moderator, experience, django_assert_max_num_queries):
    client.force_login(moderator)
    for _n in range(3):
        comment = ExperienceCommentFactory(experience=experience)
        CommentReport.objects.create(comment=comment, reporter=UserFactory())
    client.get(admin_url("index"))
    with CaptureQueriesContext(connection) as few:
        client.get(admin_url("index"))
    for _n in range(17):
        comment = ExperienceCommentFactory(experience=experience)
        CommentReport.objects.create(comment=comment, reporter=UserFactory())
    with django_assert_max_num_queries(len(few)):
        client.get(admin_url("index"))


# The moderator's decision -----------------------------------------------------------------------------------


def test_moderator_restores_a_reported_comment_and_only_the_status_changes(client, moderator, comments):
    awaiting = comments["awaiting"]
    client.force_login(moderator)
    page = client.get(admin_url("edit", awaiting.pk)).text
    assert "Masqué par les signalements" in page
    assert 'name="status"' in page
    assert 'name="body"' not in page
    assert 'value="reported"' not in page  # the moderator chooses between visible and hidden only

    response = client.post(
        admin_url("edit", awaiting.pk),
        {"status": "visible", "body": "Réécrit par la modération", "author": moderator.pk},
    )
    assert response.status_code == 302
    awaiting.refresh_from_db()
    assert awaiting.status == VISIBLE
    assert awaiting.body == "Masqué par les signalements"
    assert awaiting.author != moderator
    assert awaiting.reviewed_by == moderator
    assert awaiting.reviewed_at is not None
    assert ModelLogEntry.objects.filter(
        action="tourism.comment_restored", object_id=str(awaiting.pk)
    ).exists()
    assert not ExperienceComment.objects.awaiting_moderator().filter(pk=awaiting.pk).exists()


def test_moderator_hides_a_comment_from_the_admin(client, moderator, comments):
    quiet = comments["quiet"]
    client.force_login(moderator)
    client.post(admin_url("edit", quiet.pk), {"status": "hidden"})
    quiet.refresh_from_db()
    assert (quiet.status, quiet.reviewed_by) == (HIDDEN, moderator)


def test_reported_status_cannot_be_chosen(client, moderator, comments):
    quiet = comments["quiet"]
    client.force_login(moderator)
    before = snapshot()
    response = client.post(admin_url("edit", quiet.pk), {"status": "reported"})
    assert response.status_code == 200  # the form again, with its error
    assert snapshot() == before


def test_delegation_administrators_moderate_too(client, comments):
    user = admin_user(DELEGATION_GROUP)
    client.force_login(user)
    assert client.get(admin_url("index")).status_code == 200
    client.post(admin_url("edit", comments["hidden"].pk), {"status": "visible"})
    comments["hidden"].refresh_from_db()
    assert comments["hidden"].status == VISIBLE


def test_nobody_adds_or_deletes_a_comment_in_the_admin(client, comments):
    with pytest.raises(NoReverseMatch):
        admin_url("add")
    with pytest.raises(NoReverseMatch):
        admin_url("delete", comments["quiet"].pk)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    before = snapshot()
    assert client.get("/admin/tourisme/commentaires/new/").status_code == 404
    assert client.post(f"/admin/tourisme/commentaires/delete/{comments['quiet'].pk}/").status_code == 404
    html = client.get(admin_url("edit", comments["quiet"].pk)).text
    assert "/delete/" not in html
    assert snapshot() == before


@pytest.mark.parametrize("who", ["communication_officer", "member_with_admin_access", "authority_agent"])
def test_people_who_do_not_moderate_are_refused_in_the_admin(client, tourism_home, comments, who):
    user = refused_users()[who]
    client.force_login(user)
    before = snapshot()
    for response in (
        client.get(admin_url("index")),
        client.get(admin_url("edit", comments["awaiting"].pk)),
        client.post(admin_url("edit", comments["awaiting"].pk), {"status": "visible"}),
        client.post(admin_url("edit", comments["quiet"].pk), {"status": "hidden"}),
    ):
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response.url == reverse("wagtailadmin_home")
    assert snapshot() == before
    home = client.get(reverse("wagtailadmin_home")).text
    assert admin_url("index") not in home


# The menu, the themes and the dashboard ---------------------------------------------------------------------


def test_moderator_menu_and_dashboard(client, moderator, comments):
    client.force_login(moderator)
    home = client.get(reverse("wagtailadmin_home")).text
    assert fr("Responsible tourism") in home
    assert admin_url("index") in home
    assert reverse("wagtailsnippets_tourism_tourismtheme:list") in home
    # The dashboard counts the comment hidden by reports and the visible one reported once.
    assert re.search(re.escape(admin_url("index") + "?awaiting=true") + r'">\s*2 ', home)


def test_moderator_adds_and_renames_a_theme(client, moderator):
    client.force_login(moderator)
    response = client.post(
        reverse("wagtailsnippets_tourism_tourismtheme:add"), {"name": "Agritourisme", "slug": ""}
    )
    assert response.status_code == 302
    theme = TourismTheme.objects.get(name="Agritourisme")
    assert theme.slug == "agritourisme"
    client.post(
        reverse("wagtailsnippets_tourism_tourismtheme:edit", args=[theme.pk]),
        {"name": "Agritourisme solidaire", "slug": "agritourisme"},
    )
    theme.refresh_from_db()
    assert theme.name == "Agritourisme solidaire"


def test_communication_officer_cannot_add_a_theme(client, tourism_home):
    client.force_login(refused_users()["communication_officer"])
    count = TourismTheme.objects.count()
    client.post(reverse("wagtailsnippets_tourism_tourismtheme:add"), {"name": "Intrus", "slug": ""})
    assert TourismTheme.objects.count() == count
