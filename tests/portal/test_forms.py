"""One way to render a form field (django-dsfr's `as_field_group`) and one frame for the lists' filters.

Each public and member form is sent with a mistake through its own view: the page names the mistake under the
field, the field is marked invalid and points to it (aria-describedby), and what was typed is given back,
as text. Each filtered list answers an invalid filter the same way. And no template builds the markup of a
field by hand."""

import re

import pytest
from dsfr.forms import DsfrBoundField

from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from atlas.bourse import forms as bourse_forms
from atlas.bourse.links import bourse_url
from pages.models import ContactPage
from pages.workflow import ensure_editorial_workflow
from portal.accounts import forms as account_forms
from portal.accounts import personal_forms
from portal.accounts.models import SavedMap
from search.forms import SearchForm
from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.atlas.factories import AtlasPageFactory, BoursePageFactory, BourseProjectFactory
from tests.conftest import ROOT
from tests.form_checks import described_by, described_error, field_input
from tests.pages import factories as page_factories
from tests.tourism.factories import ExperienceIndexPageFactory, ExperiencePageFactory, TourismHomePageFactory
from tourism import comment_forms
from tourism import forms as tourism_forms
from tourism.moderation import ensure_tourism_workflow

# Typed by the user: it must come back as the field's value, and never as markup.
TYPED = 'Awa <i data-typed>"Diallo"</i> & fils'
PASSWORD = "un-mot-de-passe-solide-2026"


def fr(message):
    with translation.override("fr"):
        return str(translation.gettext(message))


def in_french(text):
    with translation.override("fr"):
        return str(text)


def typed_value(html, name, element_id=None):
    element = field_input(html, name, element_id)
    return element.get_text() if element.name == "textarea" else element.get("value", "")


@pytest.fixture
def user(db):
    return UserFactory(username="awa@example.org", email="awa@example.org", password=PASSWORD)


@pytest.fixture
def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def experience(home):
    cache.clear()
    tourism_home = TourismHomePageFactory(parent=home, slug="tourisme-responsable")
    ensure_tourism_workflow(apps, tourism_home.pk)
    index = ExperienceIndexPageFactory(parent=tourism_home, slug="experiences")
    return ExperiencePageFactory(parent=index, slug="village")


def reset_link(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(user)])


def photos_management():
    return {
        "photos-TOTAL_FORMS": "1",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "12",
    }


def agent_of_two_authorities(user):
    """The user as an agent of two French authorities, who then chooses one in the Bourse's interest form."""
    for name in ("Ville de Lyon", "Métropole de Lyon"):
        MembershipFactory(user=user, organisation=OrganisationFactory(authority__name=name))


def bourse_interest(client, user, authorities=2):
    if authorities == 2:
        agent_of_two_authorities(user)
    else:
        MembershipFactory(user=user, organisation=OrganisationFactory(authority__name="Ville de Lyon"))
    return reverse("accounts:bourse_interest", args=[BourseProjectFactory().pk])


# (name, who, how to reach the form, data sent, the field in error, its error, the field whose typed value
# comes back). `reach` gives the address to post to, from the test's client and user.
CASES = [
    (
        "sign up",
        None,
        lambda client, user: reverse("accounts:signup"),
        {"first_name": TYPED, "last_name": "Diallo", "email": "pas-une-adresse", "password1": PASSWORD},
        "email",
        "Enter a valid email address.",
        "first_name",
    ),
    (
        "log in",
        None,
        lambda client, user: reverse("accounts:login"),
        {"username": TYPED + "x" * 200, "password": "faux"},
        "username",
        None,
        "username",
    ),
    (
        "password reset",
        None,
        lambda client, user: reverse("accounts:password_reset"),
        {"email": TYPED},
        "email",
        "Enter a valid email address.",
        "email",
    ),
    (
        "password change",
        "user",
        lambda client, user: reverse("accounts:password_change"),
        {"old_password": "faux", "new_password1": PASSWORD + "!", "new_password2": PASSWORD + "!"},
        "old_password",
        "Your old password was entered incorrectly. Please enter it again.",
        None,
    ),
    (
        "new password from the e-mailed link",
        None,
        # The link puts its token in the session, then leads to the form's own address.
        lambda client, user: client.get(reset_link(user), follow=True).redirect_chain[-1][0],
        {"new_password1": PASSWORD + "!", "new_password2": PASSWORD + "?"},
        "new_password2",
        "The two password fields didn’t match.",
        None,
    ),
    (
        "join an organisation",
        "user",
        lambda client, user: reverse("accounts:join"),
        {"organisation": "999999", "message": TYPED},
        "organisation",
        "Select a valid choice. That choice is not one of the available choices.",
        "message",
    ),
    (
        "save an Atlas map",
        "user",
        lambda client, user: reverse("accounts:personal_map_save"),
        {"title": " ", "query": "country=mali"},
        "title",
        "Give a title.",
        None,
    ),
    (
        "create an album",
        "user",
        lambda client, user: reverse("accounts:personal_album_create"),
        {"title": TYPED + "x" * 300},
        "title",
        None,
        "title",
    ),
    (
        "change a saved map",
        "user",
        lambda client, user: reverse(
            "accounts:personal_map_edit",
            args=[SavedMap.objects.create(owner=user, title="Carte", query="", position=1).pk],
        ),
        {"title": TYPED, "album": "999999"},
        "album",
        "Choose one of your albums.",
        "title",
    ),
    (
        "write an experience",
        "user",
        lambda client, user: reverse("tourism:create"),
        {"title": TYPED, "latitude": "12.48", "longitude": "", **photos_management(), "save": "1"},
        "longitude",
        "Give both the latitude and the longitude, or leave both empty.",
        "title",
    ),
    (
        "a photo of an experience",
        "user",
        lambda client, user: reverse("tourism:create"),
        {"title": "Un titre", **photos_management(), "photos-0-alt_text": TYPED, "save": "1"},
        "photos-0-file",
        "Choose the photo these texts go with.",
        "photos-0-alt_text",
    ),
    (
        "a Bourse-projets alert",
        "user",
        lambda client, user: reverse("accounts:bourse_alerts"),
        {"title": TYPED, "country": "atlantide", "theme": ""},
        "country",
        "Select a valid choice. That choice is not one of the available choices.",
        "title",
    ),
    (
        "interest in a Bourse project, for one of two authorities",
        "user",
        lambda client, user: bourse_interest(client, user),
        {"authority": "999999", "message": TYPED},
        "authority",
        "Select a valid choice. That choice is not one of the available choices.",
        "message",
    ),
    (
        "interest in a Bourse project, for one's only authority",
        "user",
        lambda client, user: bourse_interest(client, user, authorities=1),
        {"message": TYPED + "x" * 2000},
        "message",
        None,
        "message",
    ),
]
# The Bourse's member views answer a refused post with 400 (their own tests say so); the others with 200.
REFUSED_WITH_400 = {case[0] for case in CASES if "Bourse" in case[0]}


@pytest.mark.parametrize(
    ("name", "who", "reach", "data", "field", "error", "kept"), CASES, ids=[case[0] for case in CASES]
)
def test_a_form_sent_with_a_mistake_says_it_under_the_field_and_keeps_what_was_typed(
    client, user, experience, name, who, reach, data, field, error, kept
):
    if who:
        client.force_login(user)
    response = client.post(reach(client, user), data)
    assert response.status_code == (400 if name in REFUSED_WITH_400 else 200)
    html = response.text
    said = described_error(html, field)
    assert said, f"{field} is not marked invalid, or points to no error"
    if error:
        assert fr(error) in said
    if kept:
        assert data[kept] in typed_value(html, kept)
    assert "<i data-typed>" not in html


def test_the_contact_form(client, home):
    contact = page_factories.ContactPageFactory(parent=home, slug="contact")
    response = client.post(contact.url, {"nom": TYPED, "message": "", "website": ""})
    assert response.status_code == 200
    assert fr("This field is required.") in described_error(response.text, "message")
    assert typed_value(response.text, "nom") == TYPED
    assert "<i data-typed>" not in response.text


def test_the_site_search(client, home):
    query = TYPED + "x" * 200
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
    said = described_error(response.text, "q", "id_q")
    assert in_french(SearchForm.base_fields["q"].error_messages["max_length"]) % {"limit_value": 200} == said
    assert typed_value(response.text, "q", "id_q") == query
    assert "<i data-typed>" not in response.text


def test_a_refused_comment_comes_back_with_its_reason_under_it(client, user, experience):
    client.force_login(user)
    text = TYPED + "é" * 2000
    response = client.post(reverse("tourism:comment", args=[experience.pk]), {"body": text}, follow=True)
    assert response.status_code == 200
    with translation.override("fr"):
        too_long = translation.ngettext(
            "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
            2000,
        ) % {"limit_value": 2000, "show_value": len(text)}
    assert described_error(response.text, "body") == too_long
    assert typed_value(response.text, "body").strip() == text
    assert "<i data-typed>" not in response.text


def test_a_hint_is_tied_to_its_input(client, user, experience):
    """Without errors, the input points to its hint (the comment's length and how it is signed)."""
    client.force_login(user)
    html = client.get(experience.url).text
    assert described_by(html, "body") == in_french(comment_forms.CommentForm.base_fields["body"].help_text)


def test_the_bourse_project_page_ties_the_interest_message_to_its_hint(client, user, home):
    """The interest form under a Bourse project (an agent of two authorities chooses one of them)."""
    BoursePageFactory(parent=home, slug="bourse-projets")
    project = BourseProjectFactory()
    agent_of_two_authorities(user)
    client.force_login(user)
    html = client.get(bourse_url("project", project.pk)).text
    hint = bourse_forms.InterestForm.base_fields["message"].help_text
    assert described_by(html, "message") == in_french(hint)
    assert [option.get_text() for option in field_input(html, "authority").find_all("option")] == [
        "Métropole de Lyon",
        "Ville de Lyon",
    ]


def test_the_hints_a_form_sets_itself_are_shown(client, user, experience):
    """The photo's size limit (set when the form is made) is the hint its file input points to; an empty list
    of checkboxes says why it is empty."""
    client.force_login(user)
    html = client.get(reverse("tourism:create")).text
    with translation.override("fr"):
        size_hint = str(tourism_forms.PhotoForm(images=None).fields["file"].help_text)
    assert described_by(html, "photos-0-file") == size_hint
    assert fr("Choose a country to see the French authorities cooperating with it.") in html


# The filtered lists ----------------------------------------------------------------------------------------


def atlas_search(home):
    atlas = AtlasPageFactory(parent=home, slug="atlas")
    return f"{atlas.url}recherche/", "year_from"


def tourism_experiences(home):
    cache.clear()
    tourism_home = TourismHomePageFactory(parent=home, slug="tourisme-responsable")
    ensure_tourism_workflow(apps, tourism_home.pk)
    index = ExperienceIndexPageFactory(parent=tourism_home, slug="experiences")
    ExperiencePageFactory(parent=index, slug="village")
    return index.url, "country"


def rubric_archive(home):
    cache.clear()
    rubric = page_factories.RubricPageFactory(parent=home, slug="rubrique")
    ensure_editorial_workflow(apps, rubric.pk)
    page_factories.TestimonyPageFactory(parent=rubric, slug="temoignage")
    return rubric.url, "month"


def bourse_projects(home):
    bourse = BoursePageFactory(parent=home, slug="bourse-projets")
    BourseProjectFactory()
    return bourse.url, "budget_min"


@pytest.mark.parametrize("make_list", [atlas_search, tourism_experiences, rubric_archive, bourse_projects])
def test_every_list_answers_an_invalid_filter_the_same_way(client, home, make_list):
    """Nothing listed (not the unfiltered list), a 200, the French alert above the form and the error under
    the faulty filter, the filters' frame being the same include everywhere."""
    address, name = make_list(home)
    response = client.get(address, {name: "1999-13-nulle-part"})
    assert response.status_code == 200
    assert "includes/filter_form.html" in [template.name for template in response.templates]
    html = response.text
    assert fr("Some filters are not valid: correct them below.") in html
    assert described_error(html, name)
    assert response.context["page_obj"].paginator.count == 0


# Every form class and template ------------------------------------------------------------------------------

FORM_CLASSES = [
    account_forms.LoginForm,
    account_forms.MailerPasswordResetForm,
    account_forms.PortalPasswordChangeForm,
    account_forms.PortalSetPasswordForm,
    account_forms.SignUpForm,
    account_forms.JoinForm,
    personal_forms.SaveMapForm,
    personal_forms.SavedMapForm,
    personal_forms.AlbumForm,
    personal_forms.SendExportForm,
    tourism_forms.ExperienceForm,
    tourism_forms.PhotoForm,
    comment_forms.CommentForm,
    comment_forms.ReportForm,
    SearchForm,
    bourse_forms.InterestForm,
    bourse_forms.AlertForm,
]


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=lambda form_class: form_class.__name__)
def test_every_public_and_member_form_renders_its_fields_through_dsfr(form_class):
    assert form_class.bound_field_class is DsfrBoundField


def test_the_contact_form_builder_renders_through_dsfr(home):
    contact = page_factories.ContactPageFactory(parent=home, slug="contact")
    form = ContactPage.objects.get(pk=contact.pk).get_form()
    assert all(isinstance(field, DsfrBoundField) for field in form)


# Group markup is dsfr's to write: a template writing it by hand is a second way to render a field.
HAND_MADE = re.compile(
    r"fr-(input|select|upload|checkbox|radio|range)-group|render_field|\{% include \"[^\"]*field\.html\""
)
# Justified exceptions: markup that dsfr's field templates do not offer.
EXCEPTIONS = {
    # DSFR's search bar (input and button together) as a field template, rendered by as_field_group.
    "templates/search/includes/search_bar.html": "the site search's field",
    # Not a Django form: an ARIA combobox that atlas-map.js builds on a search bar; nothing to validate.
    "templates/atlas/includes/authority_selector.html": "the Atlas authority combobox",
    # Not a Django form either: a read-only field with the embeddable map's code to copy; nothing is posted.
    "templates/atlas/includes/embed_snippet.html": "the embeddable map's code to copy",
}


def project_templates():
    for top in sorted(ROOT.iterdir()):
        if not top.is_dir() or top.name.startswith(".") or top.name in {"node_modules", "static"}:
            continue
        for path in sorted(top.glob("**/*.html")):
            if "templates" in path.parts:
                yield str(path.relative_to(ROOT))


def test_no_template_builds_a_field_by_hand():
    hand_made = {
        path
        for path in project_templates()
        if HAND_MADE.search((ROOT / path).read_text()) and path not in EXCEPTIONS
    }
    assert not hand_made, sorted(hand_made)


def test_the_exceptions_still_exist():
    for path in EXCEPTIONS:
        assert HAND_MADE.search((ROOT / path).read_text()), path
