"""The translators (issue 15): they translate the French pages into English with wagtail-localize's editor and
submit the translation to the editorial workflow; the editor-in-chief publishes it. They edit nothing French
and publish nothing themselves: every refused action leaves the pages as they were."""

import pytest

from django.contrib.auth import get_user_model
from django.urls import reverse

from wagtail.models import Locale, Page, Revision
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from pages import models
from pages.demo import UNTRANSLATED_FEATURE
from pages.models import RubricPage
from pages.translation import TRANSLATOR_GROUP

NOTICE = "This page has not been translated into English yet; it is shown in French."
ENGLISH_TITLE = "“Local authorities open doors that diplomacy cannot open alone”"


@pytest.fixture
def english(demo_site):
    return Locale.objects.get(language_code="en")


@pytest.fixture
def translator(demo_site):
    user = get_user_model().objects.get(username="demo.translator")
    assert user.groups.filter(name=TRANSLATOR_GROUP).exists()
    return user


@pytest.fixture
def chief(demo_site):
    return get_user_model().objects.get(username="demo.editor.in.chief")


def feature(language):
    rubric = RubricPage.objects.get(locale__language_code=language)
    return rubric.get_children().get(slug=UNTRANSLATED_FEATURE).specific


def snapshot(page):
    """What a refused action must leave as it was: the page's row and its revisions."""
    page = Page.objects.get(pk=page.pk).specific
    revisions = Revision.page_revisions.filter(object_id=str(page.pk)).count()
    return (
        page.title,
        page.live,
        page.alias_of_id,
        page.live_revision_id,
        page.latest_revision_id,
        revisions,
    )


def refused(response):
    """Wagtail's admin answers a PermissionDenied with a redirection to its dashboard (and a message)."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def start_translation(client, english):
    """The translator's "Translate this page" on the French feature: its English alias becomes a translation
    in progress (a draft: the public English page is unchanged)."""
    source_page = feature("fr")
    url = reverse("wagtail_localize:submit_page_translation", args=[source_page.pk])
    response = client.post(url, {"locales": [english.pk]})
    assert response.status_code == 302
    return Translation.objects.get(
        source=TranslationSource.objects.get_for_instance(source_page), target_locale=english
    )


def translate_title(client, translation):
    segment = StringSegment.objects.get(source=translation.source, context__path="title")
    url = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])
    response = client.put(url, f"value={ENGLISH_TITLE}", content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 201), response.content


def test_the_translator_translates_and_the_editor_in_chief_publishes(client, translator, chief, english):
    client.force_login(translator)
    translation = start_translation(client, english)
    page = feature("en")
    assert page.alias_of_id is None
    # Started, not published: the public English page still says it is French.
    response = client.get(page.get_url())
    assert NOTICE in response.text
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert editor.status_code == 200
    assert "js-translation-editor" in editor.text
    assert reverse("pages_translation_submit", args=[page.pk]) in editor.text
    translate_title(client, translation)
    assert StringTranslation.objects.filter(locale=english, data=ENGLISH_TITLE).exists()

    response = client.post(reverse("pages_translation_submit", args=[page.pk]))
    assert response.status_code == 302
    page = models.TestimonyPage.objects.get(pk=page.pk)
    assert page.workflow_in_progress
    assert page.title != ENGLISH_TITLE  # still the live French text until approved
    client.logout()
    assert NOTICE in client.get(page.get_url()).text

    # Approved from the admin's dashboard, as its "Approve" button posts it (`next`: the dashboard's address).
    task_state = page.current_workflow_task_state
    client.force_login(chief)
    action = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    response = client.post(action, {"next": "http://testserver/admin/"})
    assert response.status_code == 302
    client.logout()
    page.refresh_from_db()
    assert page.title == ENGLISH_TITLE
    response = client.get(page.get_url())
    assert ENGLISH_TITLE in response.text
    assert NOTICE not in response.text
    # The French page is untouched.
    assert feature("fr").title.startswith("« Les collectivités")


def test_the_translator_may_not_publish_a_translation(client, translator, english):
    client.force_login(translator)
    translation = start_translation(client, english)
    translate_title(client, translation)
    page = feature("en")
    before = snapshot(page)
    # wagtail-localize's "Publish in English" (shown to publishers only) refused.
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), {"action": "publish"})
    assert refused(response)
    # Its "Sync translated pages" with "publish" refused too; the same without "publish" is allowed.
    update = reverse("wagtail_localize:update_translations", args=[translation.source.pk])
    response = client.post(update, {"publish_translations": "on"})
    assert refused(response)
    # And "convert back to alias", which would replace the live English page.
    response = client.post(reverse("wagtail_localize:convert_to_alias", args=[page.pk]))
    assert refused(response)
    assert snapshot(page) == before
    assert NOTICE in client.get(page.get_url()).text


def test_the_translator_may_not_edit_french_pages(client, translator):
    client.force_login(translator)
    page = feature("fr")
    before = snapshot(page)
    assert refused(client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])))
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), {"title": "Changé", "action-publish": "1"}
    )
    assert refused(response)
    assert refused(client.post(reverse("pages_translation_submit", args=[page.pk])))
    assert snapshot(page) == before


def test_a_submission_is_refused_to_those_who_may_not_edit_the_english_page(client, english, demo_site):
    member = get_user_model().objects.get(username="demo.member")
    client.force_login(member)
    page = feature("en")
    before = snapshot(page)
    response = client.post(reverse("pages_translation_submit", args=[page.pk]))
    assert response.status_code in (302, 403)
    assert "/admin/" in response.get("Location", "/admin/")
    assert snapshot(page) == before
