"""Creating a Bourse project or a page in the admin, with Wagtail's autosave on, yields one record: autosave
posts to a create view are refused (so the editor turns autosave off for that form) and nothing is created;
the explicit save creates the one record, whose edit view then autosaves into it."""

from django.urls import reverse

from atlas.bourse.models import BourseProject
from atlas.models import Country
from pages.models import StandardPage
from tests.accounts.factories import EmbassyFactory, UserFactory, agent_of
from tests.atlas.factories import PartnerAuthorityFactory
from tests.bourse.test_bourse import project_data

AUTOSAVE = {"HTTP_ACCEPT": "application/json"}


def test_a_bourse_project_created_with_autosave_on_is_one_record(client, db):
    senegal = Country.objects.get(code="SN")
    client.force_login(agent_of(EmbassyFactory(name="Ambassade de France au Sénégal", countries=[senegal])))
    partner = PartnerAuthorityFactory(name="Kaolack", country=senegal)
    add = reverse("wagtailsnippets_atlas_bourseproject:add")

    # What the editor's script sends while the embassy types, three times.
    for title in ("Marché", "Marché de", "Marché de Kaolack"):
        response = client.post(add, project_data(partner, title=title), **AUTOSAVE)
        assert response.status_code == 400
        assert response.json()["error_code"] == "invalid_revision"  # the script stops autosaving
    assert not BourseProject.objects.exists()

    response = client.post(add, project_data(partner))  # "Save draft"
    assert response.status_code == 302
    project = BourseProject.objects.get()

    # Once it exists, autosave updates it in its edit view and creates nothing.
    edit = reverse("wagtailsnippets_atlas_bourseproject:edit", args=[project.pk])
    response = client.post(edit, project_data(partner, title="Marché central de Kaolack"), **AUTOSAVE)
    assert response.status_code == 200, response.content
    assert response.json()["success"], response.content
    assert BourseProject.objects.count() == 1


def test_a_page_created_with_autosave_on_is_one_page(client, home):
    client.force_login(UserFactory(is_superuser=True))
    add = reverse("wagtailadmin_pages:add", args=["pages", "standardpage", home.pk])
    data = {"title": "Nos partenaires", "slug": "nos-partenaires", "intro": "", "body-count": "0"}
    assert client.get(add).status_code == 200
    for _ in range(3):
        response = client.post(add, data, **AUTOSAVE)
        assert response.status_code == 400
        assert response.json()["error_code"] == "invalid_revision"
    assert not StandardPage.objects.exists()

    response = client.post(add, data)
    assert response.status_code == 302
    page = StandardPage.objects.get(locale__language_code="fr")
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.post(edit, {**data, "title": "Nos partenaires au Sénégal"}, **AUTOSAVE)
    assert response.status_code == 200, response.content
    assert response.json()["success"], response.content
    # One page (its English alias, made by the locale synchronisation, is in the English tree).
    assert StandardPage.objects.filter(locale__language_code="fr").count() == 1
