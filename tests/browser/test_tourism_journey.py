"""The responsible-tourism journey in the browser: a member contributes an experience with photos, the
moderator approves it in the admin, it is on the map and in the feed, another member comments and a third
reports the comment, which is hidden until a moderator looks at it."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core import mail

from tests.accounts.factories import UserFactory
from tests.browser.conftest import assert_accessible, wait_for_map
from tests.browser.test_extranet import log_in
from tests.tourism.factories import ExperienceIndexPageFactory, TourismHomePageFactory
from tourism.models import ExperiencePage, TourismTheme
from tourism.moderation import MODERATORS_GROUP, ensure_tourism_workflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TITLE = "Une semaine chez l’habitant à Oussouye"


def photo(tmp_path, name, colour):
    path = tmp_path / name
    buffer = io.BytesIO()
    Image.new("RGB", (2400, 1600), colour).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_a_member_shares_an_experience_the_moderator_approves_others_comment_and_report(
    browser, live_server, home, tmp_path, settings
):
    settings.TOURISM_REPORTS_TO_HIDE = 1  # a single report hides the comment in this journey
    base = live_server.url
    tourism = TourismHomePageFactory(parent=home, slug="tourisme-responsable")
    ensure_tourism_workflow(apps, tourism.pk)
    index = ExperienceIndexPageFactory(parent=tourism, slug="experiences")
    TourismTheme.objects.get_or_create(slug="tourisme-solidaire", defaults={"name": "Tourisme solidaire"})
    author = UserFactory(username="awa.diop", email="awa@example.org", first_name="Awa")
    moderator = UserFactory(username="moderatrice", email="moderation@example.org")
    moderators = Group.objects.get(name=MODERATORS_GROUP)
    moderators.permissions.add(Permission.objects.get(codename="access_admin"))
    moderator.groups.add(moderators)
    commenter = UserFactory(username="lucas.martin", first_name="Lucas", last_name="Martin")
    reporter = UserFactory(username="ines.roux", first_name="Inès")

    # The author writes the experience with two photos and submits it.
    writer = browser.new_context().new_page()
    log_in(writer, base, author.username)
    writer.goto(f"{base}/compte/tourisme/experiences/nouvelle/")
    assert_accessible(writer)
    writer.get_by_label("Titre", exact=False).first.fill(TITLE)
    writer.locator("textarea[name=summary]").fill(
        "Des familles accueillent des visiteurs et financent l’école."
    )
    writer.locator("textarea[name=body]").fill("Le séjour est organisé avec le comité villageois.")
    writer.locator("select[name=country]").select_option(label="Sénégal")
    writer.locator("input[name=place_name]").fill("Oussouye")
    writer.locator("input[name=latitude]").fill("12.48")
    writer.locator("input[name=longitude]").fill("-16.54")
    writer.locator("label", has_text="Tourisme solidaire").click()  # the DSFR label covers the box
    for number, colour in enumerate(("green", "orange")):
        writer.set_input_files(f"input[name=photos-{number}-file]", photo(tmp_path, f"{colour}.jpg", colour))
        writer.fill(f"input[name=photos-{number}-alt_text]", f"Une case à impluvium, toit {colour}")
        writer.fill(f"input[name=photos-{number}-credit]", "Awa Diop")
    writer.get_by_role("button", name="Soumettre à la modération").click()
    writer.wait_for_selector("text=est transmise à la modération")
    experience = ExperiencePage.objects.get(title=TITLE)
    assert not experience.live
    assert experience.get_latest_revision_as_object().photos.count() == 2
    assert any(moderator.email in message.to for message in mail.outbox)

    # The moderator approves it in the Wagtail admin.
    admin = browser.new_context().new_page()
    log_in(admin, base, moderator.username)
    admin.goto(f"{base}/admin/pages/{experience.pk}/edit/")
    approve = admin.locator("button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])")
    if not approve.is_visible():
        admin.locator("footer .dropdown-toggle, [data-w-dropdown-target=toggle]").last.click()
        expect(approve).to_be_visible()
    # The approval posts and comes back to the same edit address: wait for that navigation to finish (the
    # page is published when it does), not for an address the page already has.
    with admin.expect_navigation():
        approve.click()
    experience.refresh_from_db()
    assert experience.live
    assert any(author.email in message.to and "publiée" in message.subject for message in mail.outbox)

    # It is on the map of the platform and in the feed.
    reader = browser.new_context().new_page()
    reader.goto(f"{base}{index.url}")
    wait_for_map(reader)
    assert reader.locator(".atlas-map").get_attribute("data-markers") == "1"
    assert_accessible(reader)
    feed = reader.request.get(f"{base}{index.url}flux/")
    assert TITLE in feed.text()
    reader.goto(f"{base}{tourism.url}")
    wait_for_map(reader)
    assert reader.locator(".atlas-map").get_attribute("data-markers") == "1"
    assert_accessible(reader)

    # Another member comments; it shows at once.
    other = browser.new_context().new_page()
    log_in(other, base, commenter.username)
    other.goto(f"{base}{experience.url}")
    # The page settles (its map draws and moves the layout below it) before anyone types or clicks there.
    wait_for_map(other)
    publish = other.get_by_role("button", name="Publier le commentaire")
    expect(publish).to_be_visible()
    other.locator("#commentaires textarea").fill("Nous préparons un séjour semblable en Casamance.")
    with other.expect_navigation():
        publish.click()
    expect(other.get_by_text("Votre commentaire est publié.")).to_be_visible()
    assert other.get_by_text("Nous préparons un séjour semblable").count() == 1
    assert_accessible(other)

    # A third member reports it: hidden from the public until a moderator looks at it.
    third = browser.new_context().new_page()
    log_in(third, base, reporter.username)
    third.goto(f"{base}{experience.url}")
    wait_for_map(third)
    with third.expect_navigation():
        third.get_by_role("button", name="Signaler ce commentaire").click()
    with third.expect_navigation():
        third.get_by_role("button", name="Envoyer le signalement").click()
    expect(third.get_by_text("Merci pour votre signalement")).to_be_visible()
    reader.goto(f"{base}{experience.url}")
    assert reader.get_by_text("Nous préparons un séjour semblable").count() == 0
    assert any(moderator.email in message.to and "signalements" in message.subject for message in mail.outbox)
