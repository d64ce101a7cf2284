"""A feature translated into English end to end (issue 15): demo.translator starts the translation of the demo
feature left in French, translates its title in wagtail-localize's editor and submits it; the editor-in-chief
approves it from the admin's dashboard; /en/ then shows it in English. The browser guard of conftest.py fails
the test on any console error or Content-Security-Policy violation, in the admin as on the site."""

import re

import pytest
from playwright.sync_api import expect

from pages.demo import UNTRANSLATED_FEATURE
from pages.models import RubricPage
from tests.browser.test_demo_roles import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENGLISH_TITLE = "Local authorities open doors that diplomacy cannot open alone"
NOTICE = "This page has not been translated into English yet; it is shown in French."


def feature(language):
    rubric = RubricPage.objects.get(locale__language_code=language)
    return rubric.get_children().get(slug=UNTRANSLATED_FEATURE)


def log_out(page, base):
    # Once the admin's own requests are over (an editor's fetch answered by the login page would fail).
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    page.goto(f"{base}/")


def test_a_translator_translates_a_feature_and_the_editor_in_chief_publishes_it(page, live_server, demo_site):
    base = live_server.url
    english = feature("en")
    page.goto(f"{base}{english.url}")
    expect(page.locator("#untranslated-notice")).to_contain_text(NOTICE)

    log_in(page, base, "demo.translator")
    # The English page is an alias of the French one: its admin page offers to translate it.
    page.goto(f"{base}/admin/pages/{english.pk}/edit/")
    page.locator(f"a[href*='/admin/localize/submit/page/{feature('fr').pk}/']").first.click()
    page.locator("form button[type=submit], form input[type=submit]").last.click()

    # wagtail-localize's editor: translate the title (the first string), saved as soon as it is typed.
    editor = page.locator(".js-translation-editor")
    editor.get_by_role("button", name=re.compile("^(Translate|Traduire)$")).first.click()
    with page.expect_response(lambda r: "/strings/" in r.url and r.request.method == "PUT") as saved:
        editor.locator("textarea").first.fill(ENGLISH_TITLE)
        editor.get_by_role("button", name=re.compile("^(Save|Enregistrer)$")).first.click()
    assert saved.value.ok

    # Submitted to the editorial workflow; the public page has not changed yet.
    page.locator("#translation-submit button").click()
    expect(page.locator(".messages")).to_contain_text(
        re.compile("submitted to the editor-in-chief|soumise à la rédaction en chef")
    )
    log_out(page, base)
    page.goto(f"{base}{english.url}")
    expect(page.locator("#untranslated-notice")).to_be_visible()

    log_in(page, base, "demo.editor.in.chief")
    page.goto(f"{base}/admin/")
    review = page.locator("#awaiting-review-section")
    expect(review).to_contain_text(ENGLISH_TITLE)
    review.get_by_role("button", name="Actions").first.click()
    with page.expect_navigation(timeout=60_000):
        review.get_by_role("button", name=re.compile("^(Approve|Approuver)$")).first.click()
    # Approved: nothing left awaiting review (Wagtail's action shows no message).
    expect(page.locator("#awaiting-review-section")).to_have_count(0)

    log_out(page, base)
    page.goto(f"{base}{english.url}")
    expect(page.locator("h1")).to_have_text(ENGLISH_TITLE)
    expect(page.locator("#untranslated-notice")).to_have_count(0)
    page.goto(f"{base}/en/rubrique/")
    expect(page.get_by_role("link", name=ENGLISH_TITLE).first).to_be_visible()
