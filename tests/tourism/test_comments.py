"""Members' comments on experiences, tried per role through the views, and what each one then sees.

Every refusal must leave nothing changed. What people see is the comments' include rendered with the context
the experience page gives it (tourism.comments.comments_context)."""

from datetime import timedelta

import pytest

from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.text import capfirst

from tests.accounts.factories import OrganisationFactory, UserFactory, agent_of
from tests.tourism.factories import ExperienceCommentFactory, ExperiencePageFactory
from tourism.comments import DRAFT_SESSION_KEY, comments_context
from tourism.models import CommentReport, ExperienceComment

VISIBLE = ExperienceComment.Status.VISIBLE
REPORTED = ExperienceComment.Status.REPORTED
HIDDEN = ExperienceComment.Status.HIDDEN


def fr(message):
    """The French of a source string (itself until the catalogue has it)."""
    with translation.override("fr"):
        return str(translation.gettext(message))


def url(name, pk):
    return reverse(f"tourism:{name}", args=[pk])


def said(response):
    """The level and text of the last message the response leaves for the member."""
    last = list(get_messages(response.wsgi_request))[-1]
    return last.level_tag, str(last)


def comments_html(page, user=None, session=None, **query):
    """The comments' section as `user` sees it on the experience page (`session`: e.g. client.session)."""
    request = RequestFactory().get(page.url, query)
    request.user = user or AnonymousUser()
    request.session = session if session is not None else SessionStore()
    request._messages = FallbackStorage(request)
    context = {"page": page, **comments_context(page, request)}
    return render_to_string("tourism/includes/comments.html", context, request=request)


@pytest.fixture
def experience(experiences_index):
    return ExperiencePageFactory(parent=experiences_index, slug="village-casamance")


@pytest.fixture
def comment(experience, other_member):
    return ExperienceCommentFactory(experience=experience, author=other_member, body="Très inspirant !")


@pytest.fixture
def reporters(db):
    return [UserFactory(username=f"rapporteur{n}@example.org") for n in range(4)]


def report(client, user, comment, reason=""):
    client.force_login(user)
    return client.post(url("report", comment.pk), {"confirm": "1", "reason": reason, "website": ""})


def communication_officer():
    user = UserFactory(username="communication@example.org")
    group, _ = Group.objects.get_or_create(name="Chargés de communication")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    return user


def state(comment):
    comment.refresh_from_db()
    return comment.status, comment.reviewed_at, comment.reviewed_by_id, comment.reports.count()


# Anonymous visitors -----------------------------------------------------------------------------------------


def test_anonymous_sees_visible_comments_and_a_login_link(experience, comment, member):
    ExperienceCommentFactory(experience=experience, author=member, body="Masqué", status=HIDDEN)
    html = comments_html(experience)
    assert 'id="commentaires"' in html
    assert "Très inspirant !" in html
    assert "Masqué" not in html
    login = reverse("accounts:login") + "?next=" + experience.url.replace("/", "%2F") + "%23commentaires"
    assert f'href="{escape(login)}"' in html
    assert escape(fr("Log in to comment")) in html
    assert "<textarea" not in html
    assert url("report", comment.pk) not in html


@pytest.mark.parametrize("name", ["comment", "report", "delete_comment", "moderate_comment"])
def test_anonymous_is_refused_every_post_and_nothing_changes(client, experience, comment, name):
    pk = experience.pk if name == "comment" else comment.pk
    before = state(comment)
    data = {"body": "Bonjour", "confirm": "1", "reason": "spam", "action": "hide", "website": ""}
    response = client.post(url(name, pk), data)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert ExperienceComment.objects.count() == 1
    assert state(comment) == before


def test_views_answer_post_only(client, member, experience, comment):
    client.force_login(member)
    assert client.get(url("comment", experience.pk)).status_code == 405
    assert client.get(url("report", comment.pk)).status_code == 405


# Writing ----------------------------------------------------------------------------------------------------


def test_member_comments_and_everyone_sees_it_at_once(client, member, experience):
    client.force_login(member)
    response = client.post(
        url("comment", experience.pk), {"body": "Première ligne\r\n<b>deuxième</b> ligne", "website": ""}
    )
    assert response.status_code == 302
    assert response.url == experience.url + "#commentaires"
    assert said(response)[0] == "success"
    comment = ExperienceComment.objects.get()
    assert (comment.author, comment.experience_id, comment.status) == (member, experience.pk, VISIBLE)
    assert comment.body == "Première ligne\n<b>deuxième</b> ligne"

    html = comments_html(experience)
    assert "Première ligne<br>&lt;b&gt;deuxième&lt;/b&gt; ligne" in html
    assert f"Awa {member.last_name[0]}." in html
    assert member.email not in html
    assert member.username not in html
    assert f'id="commentaire-{comment.pk}"' in html


def test_member_sees_the_form_with_its_honeypot(member, experience):
    html = comments_html(experience, member)
    assert f'action="{url("comment", experience.pk)}"' in html
    assert 'name="body"' in html
    assert 'maxlength="2000"' in html
    assert 'for="comment_body"' in html
    assert 'id="comment_body"' in html
    assert 'name="website"' in html
    assert 'aria-hidden="true"' in html
    assert "csrfmiddlewaretoken" in html


def test_too_long_comment_is_refused_and_given_back(client, member, experience):
    client.force_login(member)
    text = "é" * 2001
    response = client.post(url("comment", experience.pk), {"body": text, "website": ""})
    assert response.status_code == 302
    assert said(response)[0] == "error"
    assert not ExperienceComment.objects.exists()
    html = comments_html(experience, member, session=client.session)
    assert text in html
    assert "fr-input-group--error" in html


def test_honeypot_refuses_a_comment(client, member, experience):
    client.force_login(member)
    response = client.post(
        url("comment", experience.pk), {"body": "Achetez", "website": "http://spam.example"}
    )
    assert response.status_code == 400
    assert not ExperienceComment.objects.exists()


def test_no_comment_on_an_experience_that_is_not_live(client, member, experiences_index):
    draft = ExperiencePageFactory(parent=experiences_index, slug="brouillon", live=False)
    client.force_login(member)
    response = client.post(url("comment", draft.pk), {"body": "Bonjour", "website": ""})
    assert response.status_code == 404
    assert not ExperienceComment.objects.exists()
    assert "<textarea" not in comments_html(draft, member)


def test_daily_cap_refuses_and_keeps_the_text(client, member, experience, experiences_index, settings):
    settings.TOURISM_COMMENTS_PER_DAY = 2
    elsewhere = ExperiencePageFactory(parent=experiences_index, slug="autre-experience")
    old = ExperienceCommentFactory(experience=experience, author=member)
    ExperienceComment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    ExperienceCommentFactory(experience=elsewhere, author=member)
    client.force_login(member)

    response = client.post(url("comment", experience.pk), {"body": "Dans les 24 heures", "website": ""})
    assert said(response)[0] == "success"
    assert ExperienceComment.objects.filter(author=member).count() == 3

    text = "Mon long témoignage,\nà ne pas perdre."
    response = client.post(url("comment", experience.pk), {"body": text, "website": ""})
    assert response.status_code == 302
    level, message = said(response)
    assert level == "error"
    assert "2" in message
    assert ExperienceComment.objects.filter(author=member).count() == 3
    assert client.session[DRAFT_SESSION_KEY]["body"] == text

    html = comments_html(experience, member, session=client.session)
    assert escape(text) in html
    assert "fr-alert--info" in html  # the cap is announced above the form


# Reports ----------------------------------------------------------------------------------------------------


def test_member_reports_a_comment_in_two_steps(client, member, experience, comment):
    client.force_login(member)
    html = comments_html(experience, member)
    assert f'action="{url("report", comment.pk)}"' in html

    response = client.post(url("report", comment.pk), {"website": ""})
    assert response.url == f"{experience.url}?signaler={comment.pk}#commentaire-{comment.pk}"
    assert not CommentReport.objects.exists()

    html = comments_html(experience, member, signaler=comment.pk)
    assert 'name="confirm"' in html
    assert 'name="reason"' in html
    assert 'id="id_report_website"' in html

    response = report(client, member, comment, reason="Publicité")
    assert said(response)[0] == "success"
    assert CommentReport.objects.get().reason == "Publicité"
    comment.refresh_from_db()
    assert comment.status == VISIBLE
    html = comments_html(experience, member)
    assert escape(fr("You reported this comment.")) in html
    assert f'action="{url("report", comment.pk)}"' not in html


def test_second_report_by_the_same_member_changes_nothing(client, member, comment):
    report(client, member, comment, reason="Hors sujet")
    response = report(client, member, comment, reason="Autre raison")
    assert said(response)[0] == "info"
    assert list(CommentReport.objects.values_list("reason", flat=True)) == ["Hors sujet"]


def test_member_cannot_report_their_own_comment(client, other_member, experience, comment):
    assert f'action="{url("report", comment.pk)}"' not in comments_html(experience, other_member)
    assert 'name="reason"' not in comments_html(experience, other_member, signaler=comment.pk)
    response = report(client, other_member, comment)
    assert said(response)[0] == "error"
    assert not CommentReport.objects.exists()


def test_hidden_comment_cannot_be_reported(client, member, comment):
    ExperienceComment.objects.filter(pk=comment.pk).update(status=HIDDEN)
    assert report(client, member, comment).status_code == 404
    assert not CommentReport.objects.exists()


def test_honeypot_refuses_a_report(client, member, comment):
    client.force_login(member)
    response = client.post(url("report", comment.pk), {"confirm": "1", "website": "http://spam.example"})
    assert response.status_code == 400
    assert not CommentReport.objects.exists()


def test_third_report_hides_the_comment_and_mails_the_moderators_once(
    client, settings, experience, comment, reporters, moderator, mailoutbox
):
    settings.TOURISM_REPORTS_TO_HIDE = 3
    report(client, reporters[0], comment)
    report(client, reporters[1], comment)
    comment.refresh_from_db()
    assert comment.status == VISIBLE
    assert mailoutbox == []

    response = report(client, reporters[2], comment, reason="Propos injurieux")
    assert said(response)[0] == "success"
    comment.refresh_from_db()
    assert comment.status == REPORTED
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [moderator.email]
    assert "http://testserver" + reverse("tourism_comments:index") + "?awaiting=true" in mail.body
    assert reverse("tourism_comments:edit", args=[comment.pk]) in mail.body
    assert "Très inspirant !" in mail.body
    assert "Propos injurieux" in mail.body
    assert "&#x27;" not in mail.subject + mail.body

    report(client, reporters[3], comment)  # it is hidden: this member no longer sees it
    assert len(mailoutbox) == 1
    assert comment.reports.count() == 3

    assert "Très inspirant !" not in comments_html(experience)
    assert "Très inspirant !" not in comments_html(experience, reporters[0])
    own = comments_html(experience, comment.author)
    assert "Très inspirant !" in own
    assert escape(fr("Hidden: only you can see this comment")) in own
    seen_by_moderator = comments_html(experience, moderator)
    assert "Très inspirant !" in seen_by_moderator
    assert escape(capfirst(fr("hidden after reports, awaiting the moderator"))) in seen_by_moderator
    assert 'value="restore"' in seen_by_moderator


# Deleting ---------------------------------------------------------------------------------------------------


def test_member_cannot_delete_someone_elses_comment(client, member, experience, comment):
    assert f'action="{url("delete_comment", comment.pk)}"' not in comments_html(experience, member)
    client.force_login(member)
    assert client.post(url("delete_comment", comment.pk)).status_code == 404
    assert client.post(url("delete_comment", comment.pk), {"confirm": "1"}).status_code == 404
    assert ExperienceComment.objects.filter(pk=comment.pk).exists()


def test_moderator_cannot_delete_either(client, moderator, comment):
    client.force_login(moderator)
    assert client.post(url("delete_comment", comment.pk), {"confirm": "1"}).status_code == 404
    assert ExperienceComment.objects.filter(pk=comment.pk).exists()


def test_author_deletes_their_comment_after_confirming(client, other_member, experience, comment):
    client.force_login(other_member)
    assert f'action="{url("delete_comment", comment.pk)}"' in comments_html(experience, other_member)

    response = client.post(url("delete_comment", comment.pk))
    assert response.url == f"{experience.url}?supprimer={comment.pk}#commentaire-{comment.pk}"
    assert ExperienceComment.objects.filter(pk=comment.pk).exists()
    html = comments_html(experience, other_member, supprimer=comment.pk)
    assert 'name="confirm"' in html
    assert 'name="confirm"' not in comments_html(experience, UserFactory(), supprimer=comment.pk)

    response = client.post(url("delete_comment", comment.pk), {"confirm": "1"})
    assert response.url == experience.url + "#commentaires"
    assert said(response)[0] == "success"
    assert not ExperienceComment.objects.filter(pk=comment.pk).exists()


# Moderation -------------------------------------------------------------------------------------------------


def test_moderator_hides_and_restores_from_the_page(client, moderator, experience, comment):
    html = comments_html(experience, moderator)
    assert f'action="{url("moderate_comment", comment.pk)}"' in html
    assert 'value="hide"' in html
    client.force_login(moderator)

    response = client.post(url("moderate_comment", comment.pk), {"action": "hide"})
    assert response.url == experience.url + "#commentaires"
    comment.refresh_from_db()
    assert (comment.status, comment.reviewed_by) == (HIDDEN, moderator)
    assert "Très inspirant !" not in comments_html(experience)
    assert escape(capfirst(fr("hidden by the moderator"))) in comments_html(experience, moderator)

    client.post(url("moderate_comment", comment.pk), {"action": "restore"})
    comment.refresh_from_db()
    assert comment.status == VISIBLE
    assert comment.reviewed_at is not None
    assert "Très inspirant !" in comments_html(experience)


def test_moderator_sends_an_unknown_action(client, moderator, comment):
    client.force_login(moderator)
    before = state(comment)
    assert client.post(url("moderate_comment", comment.pk), {"action": "delete"}).status_code == 400
    assert state(comment) == before


def test_restored_comment_is_not_hidden_again_by_the_same_reports_but_new_ones_count(
    client, settings, experience, comment, reporters, moderator, mailoutbox
):
    settings.TOURISM_REPORTS_TO_HIDE = 3
    for reporter in reporters[:3]:
        report(client, reporter, comment)
    comment.refresh_from_db()
    assert comment.status == REPORTED
    assert len(mailoutbox) == 1

    client.force_login(moderator)
    client.post(url("moderate_comment", comment.pk), {"action": "restore"})
    comment.refresh_from_db()
    assert comment.status == VISIBLE
    assert not ExperienceComment.objects.awaiting_moderator().filter(pk=comment.pk).exists()

    # The earlier reporters cannot report again; one new report counts, and shows to the moderator.
    report(client, reporters[0], comment)
    report(client, reporters[3], comment)
    comment.refresh_from_db()
    assert comment.status == VISIBLE
    assert comment.reports.count() == 4
    assert ExperienceComment.objects.awaiting_moderator().filter(pk=comment.pk).exists()
    assert "Très inspirant !" in comments_html(experience)

    # Two more new reports reach the threshold again: hidden again, and a new e-mail.
    report(client, UserFactory(), comment)
    report(client, UserFactory(), comment)
    comment.refresh_from_db()
    assert comment.status == REPORTED
    assert len(mailoutbox) == 2


def test_comment_the_moderator_hid_stays_hidden_whatever_the_reports(client, settings, comment, moderator):
    settings.TOURISM_REPORTS_TO_HIDE = 1
    client.force_login(moderator)
    client.post(url("moderate_comment", comment.pk), {"action": "hide"})
    assert report(client, UserFactory(), comment).status_code == 404
    comment.refresh_from_db()
    assert comment.status == HIDDEN
    assert not comment.reports.exists()


@pytest.mark.parametrize(
    "who",
    [
        "member",
        "author",
        "communication_officer",
        "authority_agent",
    ],
)
def test_people_who_do_not_moderate_cannot_hide_or_restore(client, tourism_home, comment, member, who):
    user = {
        "member": lambda: member,
        "author": lambda: comment.author,
        "communication_officer": communication_officer,
        "authority_agent": lambda: agent_of(OrganisationFactory()),
    }[who]()
    client.force_login(user)
    for status, action in [(VISIBLE, "hide"), (HIDDEN, "restore")]:
        ExperienceComment.objects.filter(pk=comment.pk).update(status=status)
        before = state(comment)
        response = client.post(url("moderate_comment", comment.pk), {"action": action})
        assert response.status_code == 403
        assert state(comment) == before
    assert 'value="hide"' not in comments_html(comment.experience, user)


# Queries ----------------------------------------------------------------------------------------------------


def count_queries(page, user):
    with CaptureQueriesContext(connection) as captured:
        comments_html(page, user)
    return len(captured)


@pytest.mark.parametrize("who", ["anonymous", "member", "moderator"])
def test_queries_do_not_grow_with_the_comments(experiences_index, member, moderator, who):
    user = {"anonymous": None, "member": member, "moderator": moderator}[who]
    few = ExperiencePageFactory(parent=experiences_index, slug="trois")
    many = ExperiencePageFactory(parent=experiences_index, slug="trente")
    for page, count in [(few, 3), (many, 30)]:
        for n in range(count):
            comment = ExperienceCommentFactory(
                experience=page, status=HIDDEN if n % 3 == 0 else VISIBLE, author=UserFactory()
            )
            CommentReport.objects.create(comment=comment, reporter=UserFactory())
    if user is not None:
        ExperienceCommentFactory(experience=many, author=user)
        ExperienceCommentFactory(experience=few, author=user)
    count_queries(few, user)  # warms the caches shared by every page (content types, permissions)
    assert count_queries(many, user) <= count_queries(few, user)


# The whole experience page ---------------------------------------------------------------------------------


def test_the_experience_page_shows_the_message_and_the_comment_after_posting(client, member, experience):
    client.force_login(member)
    response = client.post(
        url("comment", experience.pk), {"body": "Merci pour ce partage", "website": ""}, follow=True
    )
    assert response.redirect_chain == [(experience.url + "#commentaires", 302)]
    html = response.text
    assert 'id="commentaires"' in html
    assert "Merci pour ce partage" in html
    assert "fr-alert--success" in html
    assert f'action="{url("comment", experience.pk)}"' in html


def test_the_experience_page_makes_no_more_queries_with_30_comments_than_with_3(
    client, experiences_index, moderator
):
    few = ExperiencePageFactory(parent=experiences_index, slug="trois")
    many = ExperiencePageFactory(parent=experiences_index, slug="trente")
    for page, count in [(few, 3), (many, 30)]:
        for n in range(count):
            comment = ExperienceCommentFactory(experience=page, status=HIDDEN if n % 3 == 0 else VISIBLE)
            CommentReport.objects.create(comment=comment, reporter=UserFactory())
    client.force_login(moderator)
    client.get(few.url)
    with CaptureQueriesContext(connection) as with_few:
        assert client.get(few.url).status_code == 200
    with CaptureQueriesContext(connection) as with_many:
        assert client.get(many.url).status_code == 200
    assert len(with_many) <= len(with_few)
