"""Members write responsible-tourism experiences outside the admin: a draft, its photos, the submission to
the moderators, their answer, changes to a published experience, and what nobody else may do."""

from datetime import timedelta

import pytest

from django.core import mail
from django.db import connection
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from wagtail.images import get_image_model
from wagtail.models import PageLogEntry, Revision, WorkflowState

from atlas.models import Country
from portal.accounts.models import Membership
from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.atlas.factories import CooperationFactory, PartnerAuthorityFactory, ProjectFactory
from tests.form_checks import described_error
from tests.tourism.factories import ExperiencePageFactory
from tests.tourism.test_photos import photo_bytes, stored, upload
from tourism import contributions
from tourism.models import ExperiencePage, ExperiencePhoto, TourismTheme
from tourism.photos import store_photo

Image = get_image_model()


def fr(message, **values):
    """The French of a source string (itself until the catalogue has it)."""
    with translation.override("fr"):
        text = str(translation.gettext(message))
    return text % values if values else text


def fr_state(label):
    """The French of a state the author sees (Wagtail has its own, neutral, "Draft" and "Published")."""
    with translation.override("fr"):
        return str(translation.pgettext("experience state", label))


def fr_plural(singular, plural, count, **values):
    with translation.override("fr"):
        return translation.ngettext(singular, plural, count) % {"count": count, **values}


def content(response):
    return response.content.decode()


def url(name, *args):
    return reverse(f"tourism:{name}", args=args)


def senegal():
    return Country.objects.get(code="SN")


def themes():
    return list(TourismTheme.objects.order_by("name"))


def management(total=3, initial=0):
    return {
        "photos-TOTAL_FORMS": str(total),
        "photos-INITIAL_FORMS": str(initial),
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "12",
    }


def new_experience(**overrides):
    """What a member types in the empty form (no photo)."""
    data = {
        "title": "Un village d’accueil en Casamance",
        "summary": "Des familles accueillent des visiteurs et financent l’école du village.",
        "body": "Le séjour est organisé avec le comité villageois.\n\nLes recettes vont à l’école.",
        "country": str(senegal().pk),
        "place_name": "Oussouye",
        "latitude": "",
        "longitude": "",
        "themes": [str(themes()[0].pk)],
        "results": "Une classe construite.",
        "lessons": "Associer les familles dès le départ.",
        **management(),
    }
    data.update(overrides)
    return data


def with_photo(data, index, file, alt="Des maisons au toit de chaume", credit="Awa Diallo", caption=""):
    data[f"photos-{index}-file"] = file
    data[f"photos-{index}-alt_text"] = alt
    data[f"photos-{index}-credit"] = credit
    data[f"photos-{index}-caption"] = caption
    return data


def browser_values(response):
    """What the browser sends back when the member changes nothing in the form shown."""
    form, formset = response.context["form"], response.context["formset"]
    data = {}
    for bound_forms in ([form], [formset.management_form], formset.forms):
        for each in bound_forms:
            for field in each:
                if field.name in ("file",):
                    continue
                value = field.value()
                if field.widget_type == "checkbox":
                    if value:
                        data[field.html_name] = "on"
                elif isinstance(value, list | tuple):
                    data[field.html_name] = [str(item) for item in value]
                else:
                    data[field.html_name] = "" if value is None else str(value)
    return data


def latest(page):
    return ExperiencePage.objects.get(pk=page.pk).get_latest_revision_as_object()


def moderate(page, moderator, action="approve", comment=""):
    """What the moderator does in the admin: approve, or send back ("reject") with a comment."""
    state = ExperiencePage.objects.get(pk=page.pk).current_workflow_state
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, moderator, action, comment=comment)


@pytest.fixture
def logged_in(client, member):
    client.force_login(member)
    return client


def written(parent, member, slug="casamance"):
    """A draft the member wrote earlier, with one theme and one photo: complete enough to be submitted."""
    page = ExperiencePageFactory(parent=parent, slug=slug, owner=member, live=False)
    page.themes.set(themes()[:1])
    image = contributions_image(member)
    page.photos = [ExperiencePhoto(image=image, alt_text="Le village", credit="Awa")]
    page.save()
    page.save_revision(user=member)
    return ExperiencePage.objects.get(pk=page.pk)


@pytest.fixture
def draft(experiences_index, member):
    return written(experiences_index, member)


def contributions_image(user, title="Le village"):
    return store_photo(upload(), user, title)


def submitted_page(page, member):
    contributions.submit(page, member)
    mail.outbox.clear()
    return ExperiencePage.objects.get(pk=page.pk)


def snapshot(page):
    page = ExperiencePage.objects.get(pk=page.pk)
    return (
        page.latest_revision_id,
        page.title,
        page.draft_title,
        page.live,
        page.has_unpublished_changes,
        Revision.objects.filter(object_id=str(page.pk)).count(),
        list(WorkflowState.objects.filter(object_id=str(page.pk)).values_list("pk", "status")),
    )


# Login ------------------------------------------------------------------------------------------------------


def test_every_view_sends_anonymous_visitors_to_login_and_creates_nothing(client, draft):
    before = (ExperiencePage.objects.count(), Revision.objects.count(), Image.objects.count())
    draft_before = snapshot(draft)
    for name, args in [
        ("contributions", ()),
        ("create", ()),
        ("edit", (draft.pk,)),
        ("preview", (draft.pk,)),
        ("withdraw", (draft.pk,)),
    ]:
        target = url(name, *args)
        for method in (client.get, client.post):
            response = method(target, new_experience() if method == client.post else None)
            assert response.status_code == 302, (name, method)
            assert response["Location"].startswith(reverse("accounts:login")), name
            assert "next=" in response["Location"]
    assert (ExperiencePage.objects.count(), Revision.objects.count(), Image.objects.count()) == before
    assert snapshot(draft) == draft_before


def test_the_dashboard_leads_to_the_contributions(logged_in):
    response = logged_in.get(reverse("accounts:dashboard"))
    assert url("contributions") in content(response)


# Writing a draft --------------------------------------------------------------------------------------------


def test_a_member_writes_a_draft_with_two_photos_and_comes_back_to_it(
    logged_in, member, experiences_index, settings
):
    settings.TOURISM_PHOTO_MAX_SIDE = 1920
    response = logged_in.get(url("create"))
    assert response.status_code == 200
    html = content(response)
    assert "<h1>" in html
    assert 'enctype="multipart/form-data"' in html
    assert 'name="website"' in html  # the honeypot
    assert 'accept="image/jpeg,image/png,image/webp"' in html

    data = new_experience(
        body='<p onclick="x()">Le séjour<script>alert(1)</script> est <b>solidaire</b>.</p>'
    )
    with_photo(data, 0, upload("IMG_0001.jpg", size=(4000, 3000), gps=True), alt="Le marché d’Oussouye")
    with_photo(data, 1, upload("IMG_0002.png", photo_bytes(image_format="PNG"), "image/png"), alt="L’école")
    response = logged_in.post(url("create"), data)

    page = ExperiencePage.objects.get(locale__language_code="fr")
    assert response.status_code == 302
    assert response["Location"] == url("edit", page.pk)
    assert page.owner == member
    assert not page.live
    assert page.get_parent().specific == experiences_index
    assert PageLogEntry.objects.filter(page=page, action="wagtail.create", user=member).count() == 1
    draft = latest(page)
    assert draft.title == "Un village d’accueil en Casamance"
    assert draft.body == "<p>Le séjour est <b>solidaire</b>.</p>"
    # No point picked: the experience is placed at the centre of its country.
    assert (draft.latitude, draft.longitude) == (senegal().latitude, senegal().longitude)
    photos = list(draft.photos.all())
    assert [photo.alt_text for photo in photos] == ["Le marché d’Oussouye", "L’école"]
    big = Image.objects.get(pk=photos[0].image_id)
    assert max(big.width, big.height) <= 1920
    assert big.uploaded_by_user == member
    assert not dict(stored(big).getexif())

    response = logged_in.get(response["Location"])
    html = content(response)
    assert fr("Your draft is saved.") in html
    assert "Un village d’accueil en Casamance" in html
    assert "Le marché d’Oussouye" in html
    assert html.count("<img") >= 2
    assert fr_state("Draft") in html

    response = logged_in.get(url("contributions"))
    html = content(response)
    assert "Un village d’accueil en Casamance" in html
    assert fr_state("Draft") in html
    assert url("edit", page.pk) in html
    assert url("preview", page.pk) in html


def test_the_address_follows_the_title_until_the_first_publication(logged_in, draft, member, moderator):
    data = browser_values(logged_in.get(url("edit", draft.pk)))
    data["title"] = "Les familles d’Oussouye"
    logged_in.post(url("edit", draft.pk), data)
    assert latest(draft).slug == "les-familles-doussouye"
    contributions.submit(draft, member)
    moderate(draft, moderator)
    page = ExperiencePage.objects.get(pk=draft.pk)
    assert page.url.endswith("/les-familles-doussouye/")
    data = browser_values(logged_in.get(url("edit", draft.pk)))
    data["title"] = "Un autre titre"
    logged_in.post(url("edit", draft.pk), data)
    assert latest(page).slug == "les-familles-doussouye"


def test_coordinates_picked_on_the_map_are_kept_with_a_comma_or_a_point(logged_in, experiences_index):
    response = logged_in.post(url("create"), new_experience(latitude="12,4812", longitude="-16.54634"))
    draft = latest(ExperiencePage.objects.get(locale__language_code="fr"))
    assert response.status_code == 302
    assert (draft.latitude, draft.longitude) == (12.4812, -16.54634)
    assert draft.location == "SRID=4326;POINT(-16.54634 12.4812)"


def test_half_a_position_is_refused_and_nothing_is_created(logged_in, experiences_index):
    response = logged_in.post(url("create"), new_experience(latitude="12.48"))
    assert response.status_code == 200
    assert fr("Give both the latitude and the longitude, or leave both empty.") in content(response)
    assert fr("Give both the latitude and the longitude, or leave both empty.") in described_error(
        content(response), "longitude"
    )
    assert not ExperiencePage.objects.exists()


def test_a_draft_needs_a_title_only_and_keeps_what_was_typed(logged_in, experiences_index):
    response = logged_in.post(url("create"), new_experience(title="", summary="Un résumé à garder"))
    assert response.status_code == 200
    html = content(response)
    assert fr("The experience is not saved yet") in html
    assert "Un résumé à garder" in html
    assert not ExperiencePage.objects.exists()

    response = logged_in.post(url("create"), {"title": "Juste un titre", **management(), "save": "1"})
    assert response.status_code == 302
    assert latest(ExperiencePage.objects.get(locale__language_code="fr")).title == "Juste un titre"


def test_a_submission_without_what_it_needs_lists_it_and_still_saves_the_draft(
    logged_in, experiences_index, moderator
):
    response = logged_in.post(url("create"), {"title": "Juste un titre", **management(), "submit": "1"})
    assert response.status_code == 200
    page = ExperiencePage.objects.get(locale__language_code="fr")
    assert latest(page).title == "Juste un titre"
    html = content(response)
    assert fr("Your draft is saved, but it cannot be submitted yet") in html
    with translation.override("fr"):
        summary = translation.pgettext("experience", "Summary")
    for label in (summary, fr("The experience"), fr("Country"), fr("Themes"), fr("at least one photo")):
        assert escape(label) in html, label
    assert escape(fr("Choose at least one theme to submit the experience.")) in html
    assert escape(fr("Add at least one photo to submit the experience.")) in html
    assert not WorkflowState.objects.exists()
    assert mail.outbox == []
    # The form now edits the saved draft.
    assert f'action="{url("edit", page.pk)}"' in html


# Photos that are refused ------------------------------------------------------------------------------------


def test_a_text_file_named_jpg_is_refused_and_the_rest_of_the_draft_is_kept(logged_in, experiences_index):
    data = new_experience()
    with_photo(data, 0, upload("maison.jpg"), alt="La maison")
    with_photo(data, 1, upload("piege.jpg", b"ce n'est pas une image " * 50), alt="Un piège")
    response = logged_in.post(url("create"), data)

    assert response.status_code == 200
    page = ExperiencePage.objects.get(locale__language_code="fr")
    draft = latest(page)
    assert draft.summary.startswith("Des familles")
    assert [photo.alt_text for photo in draft.photos.all()] == ["La maison"]
    html = content(response)
    assert fr("Your draft is saved, but some photos need attention") in html
    assert escape(fr("This file is not a JPEG, PNG or WebP photo.")) in html
    assert escape(fr("The photo was not kept: choose it again, or choose another one.")) in html
    assert "Un piège" in html  # its texts are kept for the next try
    assert fr("This file is not a JPEG, PNG or WebP photo.") in described_error(html, "photos-1-file")
    assert Image.objects.count() == 1


def test_an_oversized_photo_is_refused_and_the_photos_already_there_stay(logged_in, draft, settings):
    response = logged_in.get(url("edit", draft.pk))
    data = browser_values(response)
    settings.TOURISM_PHOTO_MAX_BYTES = 2000
    data["summary"] = "Un nouveau résumé"
    with_photo(data, 1, upload("grande.jpg", size=(1200, 900)), alt="Trop lourde")
    response = logged_in.post(url("edit", draft.pk), data)

    assert response.status_code == 200
    html = content(response)
    assert fr("Your draft is saved, but some photos need attention") in html
    assert escape(fr("The photo was not kept: choose it again, or choose another one.")) in html
    saved = latest(draft)
    assert saved.summary == "Un nouveau résumé"
    assert [photo.alt_text for photo in saved.photos.all()] == ["Le village"]


def test_a_valid_photo_is_kept_when_its_texts_are_missing(logged_in, draft):
    data = browser_values(logged_in.get(url("edit", draft.pk)))
    with_photo(data, 1, upload("sans-texte.jpg"), alt="", credit="")
    response = logged_in.post(url("edit", draft.pk), data)
    assert response.status_code == 200
    html = content(response)
    assert escape(fr("Say what the photo shows, for people who cannot see it.")) in html
    assert escape(fr("Give the photo’s credit: who took it.")) in html
    # The photo is stored and shown: it need not be chosen again, only described.
    new_image = Image.objects.order_by("-pk").first()
    assert response.context["formset"].forms[1].current_image == new_image
    data = browser_values(response)
    data["photos-1-alt_text"], data["photos-1-credit"] = "Le puits", "Awa"
    response = logged_in.post(url("edit", draft.pk), data)
    assert response.status_code == 302
    assert [photo.image_id for photo in latest(draft).photos.all()][-1] == new_image.pk


def test_photos_are_described_again_removed_and_only_the_members_own(logged_in, draft):
    data = browser_values(logged_in.get(url("edit", draft.pk)))
    with_photo(data, 1, upload("puits.jpg"), alt="Le puits")
    assert logged_in.post(url("edit", draft.pk), data).status_code == 302

    data = browser_values(logged_in.get(url("edit", draft.pk)))
    data["photos-0-remove"] = "on"
    data["photos-1-caption"] = "Le puits creusé en 2019"
    assert logged_in.post(url("edit", draft.pk), data).status_code == 302
    assert [(photo.alt_text, photo.caption) for photo in latest(draft).photos.all()] == [
        ("Le puits", "Le puits creusé en 2019")
    ]

    # Another member's image cannot be slipped in through the hidden field.
    stranger_image = contributions_image(UserFactory())
    data = browser_values(logged_in.get(url("edit", draft.pk)))
    data.update(
        {"photos-1-image": str(stranger_image.pk), "photos-1-alt_text": "Volée", "photos-1-credit": "X"}
    )
    response = logged_in.post(url("edit", draft.pk), data)
    assert response.status_code == 200
    assert fr("Your draft is saved, but some photos need attention") in content(response)
    assert stranger_image.pk not in [photo.image_id for photo in latest(draft).photos.all()]


# The lists of authorities and projects ----------------------------------------------------------------------


def test_refreshing_the_lists_follows_the_country_and_saves_nothing(logged_in, member, experiences_index):
    cooperation = CooperationFactory(
        authority__name="Région Rhône-Alpes", partner=PartnerAuthorityFactory(country=senegal())
    )
    project = ProjectFactory(cooperation=cooperation, title="Écotourisme en Casamance")
    elsewhere = CooperationFactory(authority__name="Ville de Lille")  # Burkina Faso
    response = logged_in.get(url("create"))
    assert "Région Rhône-Alpes" not in content(response)

    data = new_experience(title="Pas encore", refresh="1")
    response = logged_in.post(url("create"), data)
    assert response.status_code == 200
    html = content(response)
    assert "Région Rhône-Alpes" in html
    assert "Écotourisme en Casamance" in html
    assert elsewhere.authority.name not in html
    assert fr("Update the lists") in html
    assert "Pas encore" in html
    assert not ExperiencePage.objects.exists()
    assert not response.context["form"].errors  # nothing to correct: nothing was saved

    data = new_experience(authorities=[str(cooperation.authority_id)], projects=[str(project.pk)])
    assert logged_in.post(url("create"), data).status_code == 302
    draft = latest(ExperiencePage.objects.get(locale__language_code="fr"))
    assert [link.authority for link in draft.authority_links.all()] == [cooperation.authority]
    assert [link.project for link in draft.project_links.all()] == [project]

    # Refreshing an existing draft saves nothing either.
    data = browser_values(logged_in.get(url("edit", draft.pk)))
    before = snapshot(draft)
    assert (
        logged_in.post(url("edit", draft.pk), {**data, "title": "Autre", "refresh": "1"}).status_code == 200
    )
    assert snapshot(draft) == before
    # An authority the lists do not offer is refused.
    data["authorities"] = [str(elsewhere.authority_id)]
    response = logged_in.post(url("edit", draft.pk), data)
    assert response.status_code == 200
    assert [link.authority for link in latest(draft).authority_links.all()] == [cooperation.authority]


def test_only_the_members_approved_organisations_are_offered(logged_in, member, experiences_index):
    mine = MembershipFactory(user=member, organisation=OrganisationFactory(name="Ville d’Aix")).organisation
    pending = MembershipFactory(
        user=member, organisation=OrganisationFactory(name="Ville de Brest"), status=Membership.Status.PENDING
    ).organisation
    html = content(logged_in.get(url("create")))
    assert "Ville d’Aix" in html
    assert "Ville de Brest" not in html
    # The organisation's own authority is offered among the French authorities.
    assert mine.authority.name in html

    response = logged_in.post(url("create"), new_experience(organisation=str(pending.pk)))
    assert response.status_code == 200
    assert not ExperiencePage.objects.exists()
    response = logged_in.post(url("create"), new_experience(organisation=str(mine.pk)))
    assert response.status_code == 302
    assert latest(ExperiencePage.objects.get(locale__language_code="fr")).organisation == mine


# Moderation -------------------------------------------------------------------------------------------------


def test_submitting_tells_the_moderators_and_locks_the_draft(logged_in, member, draft, moderator):
    data = browser_values(logged_in.get(url("edit", draft.pk)))
    data["submit"] = "1"
    response = logged_in.post(url("edit", draft.pk), data)

    assert response.status_code == 302
    assert response["Location"] == url("contributions")
    state = ExperiencePage.objects.get(pk=draft.pk).current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == member
    assert [message.to for message in mail.outbox] == [[moderator.email]]

    html = content(logged_in.get(url("contributions")))
    assert fr_state("With the moderators") in html
    # While the moderators read it, the author sees its state and may withdraw it, not change it.
    response = logged_in.get(url("edit", draft.pk))
    html = content(response)
    assert fr("Withdraw from moderation") in html
    assert url("withdraw", draft.pk) in html
    assert 'name="submit"' not in html
    before = snapshot(draft)
    data["title"] = "Changé en douce"
    response = logged_in.post(url("edit", draft.pk), data)
    assert response.status_code == 302
    assert snapshot(draft) == before
    # A second submission changes nothing either.
    with pytest.raises(contributions.AlreadyInModeration):
        contributions.submit(draft, member)


def test_the_author_withdraws_then_changes_and_submits_again(logged_in, member, draft, moderator):
    page = submitted_page(draft, member)
    response = logged_in.post(url("withdraw", page.pk))
    assert response.status_code == 302
    assert response["Location"] == url("edit", page.pk)
    assert WorkflowState.objects.get().status == WorkflowState.STATUS_CANCELLED
    response = logged_in.get(url("edit", page.pk))
    assert fr(
        "Your experience is withdrawn from moderation: you may change it and submit it again."
    ) in content(response)
    data = browser_values(response)
    data.update(title="Un titre plus clair", submit="1")
    assert logged_in.post(url("edit", page.pk), data).status_code == 302
    assert WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS).count() == 1
    assert latest(page).title == "Un titre plus clair"
    # Withdrawing what is not with the moderators says so and changes nothing.
    contributions.withdraw(page, member)
    before = snapshot(page)
    response = logged_in.post(url("withdraw", page.pk), follow=True)
    assert fr("This experience is not with the moderators.") in content(response)
    assert snapshot(page) == before


def test_approved_then_changed_the_public_keeps_the_live_version_until_approval(
    client, logged_in, member, draft, moderator
):
    page = submitted_page(draft, member)
    moderate(page, moderator)
    page = ExperiencePage.objects.get(pk=page.pk)
    assert page.live
    assert page.title == "Un village d’accueil en Casamance"
    assert fr_state("Published") in content(logged_in.get(url("contributions")))
    assert page.url in content(logged_in.get(url("contributions")))
    mail.outbox.clear()

    data = browser_values(logged_in.get(url("edit", page.pk)))
    data.update(title="Un village d’accueil, dix ans après", summary="Le bilan de dix ans.")
    assert logged_in.post(url("edit", page.pk), data).status_code == 302

    live = ExperiencePage.objects.get(pk=page.pk)
    assert live.live
    assert live.title == "Un village d’accueil en Casamance"
    assert live.summary.startswith("Des familles")
    assert latest(live).title == "Un village d’accueil, dix ans après"
    public_template = template_exists("tourism/experience_page.html")
    if public_template:
        html = content(client.get(live.url))
        assert "Un village d’accueil en Casamance" in html
        assert "dix ans après" not in html
    html = content(logged_in.get(url("contributions")))
    assert fr_state("Published, changes not submitted") in html
    # The preview shows the draft, not the live version.
    assert "Un village d’accueil, dix ans après" in content(logged_in.get(url("preview", page.pk)))

    data = browser_values(logged_in.get(url("edit", page.pk)))
    data["submit"] = "1"
    assert logged_in.post(url("edit", page.pk), data).status_code == 302
    assert fr_state("Published, changes with the moderators") in content(logged_in.get(url("contributions")))
    assert ExperiencePage.objects.get(pk=page.pk).title == "Un village d’accueil en Casamance"

    moderate(page, moderator)
    live = ExperiencePage.objects.get(pk=page.pk)
    assert live.title == "Un village d’accueil, dix ans après"
    assert live.summary == "Le bilan de dix ans."
    if public_template:
        assert "dix ans après" in content(client.get(live.url))


def test_sent_back_with_a_comment_the_author_is_told_once_and_sees_it(logged_in, member, draft, moderator):
    page = submitted_page(draft, member)
    comment = "Précisez qui finance l’école, s’il vous plaît."
    moderate(page, moderator, "reject", comment=comment)

    assert len(mail.outbox) == 1, [message.subject for message in mail.outbox]
    message = mail.outbox[0]
    assert message.to == [member.email]
    with translation.override("fr"):
        subject = translation.gettext('Your experience "%(title)s" needs changes') % {"title": page.title}
    assert message.subject == subject
    assert comment in message.body
    assert "http://testserver" + url("contributions") in message.body

    html = content(logged_in.get(url("contributions")))
    assert fr_state("Changes requested") in html
    assert escape(comment) in html
    response = logged_in.get(url("edit", page.pk))
    assert escape(comment) in content(response)
    assert 'name="submit"' in content(response)

    mail.outbox.clear()
    data = browser_values(response)
    data.update(summary="L’école est financée par la commune.", submit="1")
    assert logged_in.post(url("edit", page.pk), data).status_code == 302
    state = ExperiencePage.objects.get(pk=page.pk).current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert WorkflowState.objects.count() == 1  # the same moderation goes on
    assert [message.to for message in mail.outbox] == [[moderator.email]]
    assert fr_state("With the moderators") in content(logged_in.get(url("contributions")))


def test_the_states_the_author_sees(member, draft, moderator):
    state = contributions.state_of
    assert state(draft).code == contributions.DRAFT
    assert state(draft).editable
    page = submitted_page(draft, member)
    assert state(page).code == contributions.IN_MODERATION
    assert not state(page).editable
    moderate(page, moderator, "reject", comment="Trop court")
    page = ExperiencePage.objects.get(pk=page.pk)
    assert (state(page).code, state(page).comment) == (contributions.CHANGES_REQUESTED, "Trop court")
    contributions.submit(page, member)
    moderate(page, moderator)
    page = ExperiencePage.objects.get(pk=page.pk)
    assert state(page).code == contributions.PUBLISHED
    assert state(page).published
    latest(page).save_revision(user=member)
    page = ExperiencePage.objects.get(pk=page.pk)
    assert state(page).code == contributions.PUBLISHED_DRAFT
    contributions.submit(page, member)
    page = ExperiencePage.objects.get(pk=page.pk)
    assert state(page).code == contributions.PUBLISHED_CHANGES_IN_MODERATION
    moderate(page, moderator, "reject", comment="Encore un effort")
    page = ExperiencePage.objects.get(pk=page.pk)
    assert (state(page).code, state(page).comment) == (
        contributions.PUBLISHED_CHANGES_REQUESTED,
        "Encore un effort",
    )
    assert state(page).changes_requested
    assert state(page).editable


# Nobody else ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["other_member", "moderator"])
def test_nobody_else_may_edit_preview_submit_or_withdraw(client, request, member, draft, moderator, who):
    in_moderation = submitted_page(written(draft.get_parent(), member, slug="autre"), member)
    client.force_login(request.getfixturevalue(who))
    before = (snapshot(draft), snapshot(in_moderation), Image.objects.count())
    changed = new_experience(title="Piraté")
    for page in (draft, in_moderation):
        assert client.get(url("edit", page.pk)).status_code == 404
        assert client.post(url("edit", page.pk), {**changed, "save": "1"}).status_code == 404
        assert client.post(url("edit", page.pk), {**changed, "submit": "1"}).status_code == 404
        assert client.get(url("preview", page.pk)).status_code == 404
        assert client.post(url("withdraw", page.pk)).status_code == 404
    assert (snapshot(draft), snapshot(in_moderation), Image.objects.count()) == before
    assert "Un village" not in content(client.get(url("contributions")))
    # The services refuse too, whoever calls them.
    intruder = request.getfixturevalue(who)
    with pytest.raises(contributions.NotTheAuthor):
        contributions.submit(draft, intruder)
    with pytest.raises(contributions.NotTheAuthor):
        contributions.withdraw(in_moderation, intruder)
    assert (snapshot(draft), snapshot(in_moderation)) == before[:2]


# Robots and limits ------------------------------------------------------------------------------------------


def test_the_honeypot_refuses_and_saves_nothing(logged_in, draft):
    data = with_photo(new_experience(website="https://spam.example"), 0, upload())
    response = logged_in.post(url("create"), data)
    assert response.status_code == 400
    assert ExperiencePage.objects.count() == 1
    assert Image.objects.count() == 1
    before = snapshot(draft)
    response = logged_in.post(url("edit", draft.pk), {**new_experience(website="x"), "save": "1"})
    assert response.status_code == 400
    assert snapshot(draft) == before


def test_the_daily_limit_refuses_new_experiences_not_changes(logged_in, member, experiences_index, settings):
    settings.TOURISM_CONTRIBUTIONS_PER_DAY = 2
    for title in ("Un", "Deux"):
        assert logged_in.post(url("create"), new_experience(title=title)).status_code == 302
    refusal = fr_plural(
        "You have already written %(count)d experience in the last 24 hours, the most allowed: "
        "you may write a new one tomorrow.",
        "You have already written %(count)d experiences in the last 24 hours, the most allowed: "
        "you may write a new one tomorrow.",
        2,
    )
    response = logged_in.post(
        url("create"), with_photo(new_experience(title="Trois"), 0, upload()), follow=True
    )
    assert escape(refusal) in content(response)
    assert ExperiencePage.objects.count() == 2
    assert Image.objects.count() == 0
    assert logged_in.get(url("create"))["Location"] == url("contributions")
    html = content(logged_in.get(url("contributions")))
    assert escape(refusal) in html
    assert f'href="{url("create")}"' not in html
    assert contributions.contributions_today(member) == 2

    page = ExperiencePage.objects.order_by("pk").first()
    data = browser_values(logged_in.get(url("edit", page.pk)))
    data["summary"] = "Changer n’est pas limité."
    assert logged_in.post(url("edit", page.pk), data).status_code == 302
    assert latest(page).summary == "Changer n’est pas limité."

    # A day later, the member may write again.
    PageLogEntry.objects.filter(action="wagtail.create").update(
        timestamp=timezone.now() - timedelta(hours=25)
    )
    assert logged_in.post(url("create"), new_experience(title="Trois")).status_code == 302


# The list and the preview -----------------------------------------------------------------------------------


def test_the_list_takes_the_same_queries_whatever_its_length(
    logged_in, member, experiences_index, moderator, django_assert_max_num_queries
):
    def add(count):
        for _ in range(count):
            page = written(experiences_index, member, slug=f"experience-{ExperiencePage.objects.count()}")
        return page

    def one_of_each():
        submitted_page(add(1), member)
        moderate(submitted_page(add(1), member), moderator, "reject", comment="Non")
        moderate(submitted_page(add(1), member), moderator)
        add(1)

    one_of_each()
    logged_in.get(url("contributions"))  # the site's settings and menus are created and cached once
    with CaptureQueriesContext(connection) as few:
        assert logged_in.get(url("contributions")).status_code == 200

    for _ in range(3):
        one_of_each()
    with django_assert_max_num_queries(len(few)):
        response = logged_in.get(url("contributions"))
    html = content(response)
    pages = ExperiencePage.objects.filter(owner=member)
    assert pages.count() == 16
    assert all(url("edit", page.pk) in html for page in pages)
    assert html.count(escape(fr_state("Changes requested"))) >= 4
    assert html.count(fr_state("With the moderators")) >= 4


def test_the_preview_shows_the_latest_draft(logged_in, draft):
    data = browser_values(logged_in.get(url("edit", draft.pk)))
    data["title"] = "Le titre du brouillon"
    data["body"] = "Un texte <b>en gras</b>."
    logged_in.post(url("edit", draft.pk), data)
    response = logged_in.get(url("preview", draft.pk))
    assert response.status_code == 200
    html = content(response)
    assert "Le titre du brouillon" in html
    assert "<b>en gras</b>" in html
    assert (
        fr("Preview of your latest draft: the public does not see it until the moderators approve it.")
        in html
    )
    assert html.count("<h1") == 1
    assert response["X-Robots-Tag"] == "noindex"


def template_exists(name):
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


def test_pages_are_not_cached(logged_in, draft):
    for target in (url("contributions"), url("edit", draft.pk), url("create"), url("preview", draft.pk)):
        response = logged_in.get(target)
        assert "no-cache" in response.get("Cache-Control", "") or "max-age=0" in response.get(
            "Cache-Control", ""
        )
