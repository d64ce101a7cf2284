from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from wagtail.models import Page, Site

from portal.accounts.roles import ROLES


def row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.label not in {"sessions.Session"}
    }


def test_demo_builds_the_page_tree_and_an_account_per_role(db):
    call_command("demo", quiet=True)
    home = Site.objects.get(is_default_site=True).root_page
    sections = {page.specific_class.__name__ for page in home.get_children().live()}
    assert {
        "RubricPage",
        "AtlasPage",
        "BoursePage",
        "CallIndexPage",
        "TourismHomePage",
        "StandardPage",
    } <= sections
    # Wagtail's placeholder welcome page is gone: below the root, the home page of each language's tree.
    homes = Page.get_first_root_node().get_children()
    assert sorted(homes.values_list("locale__language_code", flat=True)) == ["en", "fr"]
    users = get_user_model().objects.filter(username__startswith="demo.")
    assert users.count() == len(ROLES)
    assert all(user.groups.exists() for user in users)


def test_demo_run_twice_duplicates_nothing(db):
    call_command("demo", quiet=True)
    first = row_counts()
    call_command("demo", quiet=True)
    assert row_counts() == first


def test_demo_fills_the_tourism_platform_once(db, client):
    from wagtail.models import WorkflowPage

    from tourism.models import (
        EventIndexPage,
        EventPage,
        ExperienceComment,
        ExperienceIndexPage,
        ExperiencePage,
        ResourceIndexPage,
        ResourcePage,
        TourismHomePage,
    )

    call_command("demo", quiet=True)
    call_command("demo", quiet=True)
    home = TourismHomePage.objects.get(locale__language_code="fr", slug="tourisme-responsable")
    for model in (ExperienceIndexPage, ResourceIndexPage, EventIndexPage):
        assert model.objects.child_of(home).live().count() == 1
    experiences = ExperiencePage.objects.live().filter(locale__language_code="fr")
    assert experiences.count() == 5
    assert set(experiences.values_list("country__code", flat=True)) == {"SN", "MA", "VN", "BJ", "MG"}
    member = get_user_model().objects.get(username="demo.member")
    for page in experiences:
        assert page.owner == member
        assert page.latitude is not None
        assert page.themes.exists()
        assert 1 <= page.photos.count() <= 2
        assert all(photo.alt_text and photo.credit for photo in page.photos.all())
    assert ExperiencePage.objects.filter(authority_links__isnull=False).exists()
    assert ResourcePage.objects.live().filter(locale__language_code="fr").count() == 2
    assert EventPage.objects.live().filter(locale__language_code="fr").count() == 3
    assert ExperienceComment.objects.count() == 2
    assert WorkflowPage.objects.filter(page=home).exists()
    # Readers see it: the home, an experience with its photos, the indexes.
    response = client.get(home.url)
    assert response.status_code == 200
    assert len(response.context["latest_experiences"]) == 5
    assert len(response.context["upcoming_events"]) == 2
    page = experiences.get(slug="villages-d-accueil-en-casamance")
    text = client.get(page.url).text
    assert "© Comité villageois d’Oussouye" in text
    assert "/atlas/collectivites/" in text


def test_demo_prints_the_accounts_and_their_password(db, capsys):
    call_command("demo")
    out = capsys.readouterr().out
    assert "demo.delegation.admin" in out
    assert "demo-portail-2026" in out
