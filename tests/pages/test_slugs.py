"""Page addresses: punctuation such as « » dropped, and a new page never stopped by a sibling's address (an
abandoned draft, say): it takes the first free -2, -3."""

from django.urls import reverse

from pages.models import StandardPage
from tests.accounts.factories import UserFactory
from tests.pages.factories import StandardPageFactory
from tests.tourism.conftest import experiences_index, member, tourism_home  # noqa: F401
from tests.tourism.test_contributions import management
from tourism.models import ExperiencePage


def create(client, parent, title, slug):
    add = reverse("wagtailadmin_pages:add", args=["pages", "standardpage", parent.pk])
    return client.post(add, {"title": title, "slug": slug, "intro": "", "body-count": "0"})


def test_punctuation_is_dropped_from_the_address(client, home):
    client.force_login(UserFactory(is_superuser=True))
    # What the admin's script puts in the slug field for this title.
    response = create(client, home, "« Le marché » de Dakar", "-le-marché-de-dakar")
    assert response.status_code == 302
    page = StandardPage.objects.get(locale__language_code="fr")  # its English alias is in the English tree
    assert page.slug == "le-marche-de-dakar"
    assert page.url == "/le-marche-de-dakar/"


def test_an_abandoned_draft_does_not_block_the_address_of_a_new_page(client, home):
    StandardPageFactory(parent=home, title="Nos partenaires", slug="nos-partenaires", live=False)
    client.force_login(UserFactory(is_superuser=True))
    assert create(client, home, "Nos partenaires", "nos-partenaires").status_code == 302
    assert create(client, home, "Nos partenaires", "nos-partenaires").status_code == 302
    assert sorted(StandardPage.objects.filter(locale__language_code="fr").values_list("slug", flat=True)) == [
        "nos-partenaires",
        "nos-partenaires-2",
        "nos-partenaires-3",
    ]


def test_an_existing_page_is_not_moved_to_a_taken_address_silently(client, home):
    StandardPageFactory(parent=home, title="Contact", slug="contact")
    other = StandardPageFactory(parent=home, title="Presse", slug="presse")
    client.force_login(UserFactory(is_superuser=True))
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[other.pk]),
        {"title": "Presse", "slug": "contact", "intro": "", "body-count": "0"},
    )
    assert response.status_code == 200
    assert StandardPage.objects.get(pk=other.pk).slug == "presse"


def test_member_experiences_with_the_same_title_get_their_own_address(client, experiences_index, member):  # noqa: F811
    client.force_login(member)
    for _ in range(3):
        data = {"title": "« Séjour » à Saly", **management(), "save": "1"}
        assert client.post(reverse("tourism:create"), data).status_code == 302
    assert sorted(ExperiencePage.objects.values_list("slug", flat=True)) == [
        "sejour-a-saly",
        "sejour-a-saly-2",
        "sejour-a-saly-3",
    ]
