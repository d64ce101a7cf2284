"""The Bourse-projets: registration by embassies under the Délégation's workflow, the public page and its
project pages, the exports and the demo content."""

import csv
import datetime
import io
import json

import pytest

from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry, Revision, WorkflowContentType

from atlas.bourse.models import BoursePage, BourseProject
from atlas.models import Country, Theme
from portal.accounts.scope import DELEGATION_GROUP
from tests.accounts.factories import EmbassyFactory, UserFactory, agent_of
from tests.atlas.factories import BoursePageFactory, BourseProjectFactory, PartnerAuthorityFactory

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"wagtailsnippets_atlas_bourseproject:{name}", args=args)


@pytest.fixture
def countries():
    return Country.objects.get(code="SN"), Country.objects.get(code="ML")


@pytest.fixture
def embassy(countries):
    return EmbassyFactory(name="Ambassade de France au Sénégal", countries=[countries[0]])


@pytest.fixture
def senegal_agent(client, embassy):
    client.force_login(agent_of(embassy))
    return client


@pytest.fixture
def delegation_user():
    user = UserFactory()
    group, _ = Group.objects.get_or_create(name=DELEGATION_GROUP)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    return user


def project_data(partner, **extra):
    return {
        "partner": partner.pk,
        "title": "Marché de Kaolack",
        "summary": "Réhabiliter le marché central.",
        "description": "",
        "original_language": "English",
        "original_title": "Kaolack market",
        "original_summary": "Rehabilitating the central market.",
        "themes": [Theme.objects.get(slug="eau-et-assainissement").pk],
        "partner_kind_sought": "commune",
        "partner_size_sought": "",
        "budget": "50000",
        "duration_months": "24",
        "working_languages": "français",
        "status": "open",
        "expires_on": (timezone.localdate() + datetime.timedelta(days=200)).isoformat(),
        "location": "",
        **extra,
    }


# Admin: registration, workflow, scope


def test_the_workflow_is_attached_to_bourse_projects():
    workflow = WorkflowContentType.objects.get(content_type__model="bourseproject").workflow
    assert workflow.name == "Validation Bourse-projets"
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == [DELEGATION_GROUP]


def test_embassy_agent_registers_and_submits_a_project_which_is_not_live(senegal_agent, embassy, countries):
    partner = PartnerAuthorityFactory(name="Kaolack", country=countries[0])
    response = senegal_agent.post(url("add"), {**project_data(partner), "action-submit": "Submit"})
    assert response.status_code == 302, response.text[:3000]
    project = BourseProject.objects.get()
    assert project.live is False
    assert project.embassy == embassy
    assert project.country == countries[0]
    assert project.workflow_in_progress
    assert not BourseProject.objects.visible().exists()


def test_embassy_agent_cannot_register_a_project_for_another_country(senegal_agent, countries):
    partner = PartnerAuthorityFactory(name="Sikasso", country=countries[1])
    response = senegal_agent.post(url("add"), {**project_data(partner), "action-submit": "Submit"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.text
    assert not BourseProject.objects.exists()
    assert not Revision.objects.filter(content_type__model="bourseproject").exists()


def test_embassy_agent_cannot_publish(senegal_agent, countries):
    partner = PartnerAuthorityFactory(name="Kaolack", country=countries[0])
    senegal_agent.post(url("add"), {**project_data(partner), "action-publish": "Publish"})
    assert not BourseProject.objects.filter(live=True).exists()
    project = BourseProject.objects.first()
    if project is not None:
        response = senegal_agent.post(
            url("edit", project.pk), {**project_data(partner), "action-publish": "1"}
        )
        assert response.status_code in (200, 302, 403)
        project.refresh_from_db()
        assert project.live is False


def test_delegation_approves_through_the_workflow_and_the_project_goes_live(
    senegal_agent, countries, client, delegation_user
):
    partner = PartnerAuthorityFactory(name="Kaolack", country=countries[0])
    senegal_agent.post(url("add"), {**project_data(partner), "action-submit": "Submit"})
    project = BourseProject.objects.get()
    task_state = project.current_workflow_task_state
    assert task_state is not None
    client.force_login(delegation_user)
    response = client.post(url("workflow_action", project.pk, "approve", task_state.pk), {"comment": ""})
    assert response.status_code in (200, 302), response.content[:2000]
    project.refresh_from_db()
    assert project.live is True
    assert BourseProject.objects.visible().filter(pk=project.pk).exists()


def test_another_embassy_cannot_open_or_change_the_project(client, countries):
    project = BourseProjectFactory(partner=PartnerAuthorityFactory(country=countries[0]), title="Intact")
    mali_embassy = EmbassyFactory(name="Ambassade de France au Mali", countries=[countries[1]])
    client.force_login(agent_of(mali_embassy))
    revisions, logs = Revision.objects.count(), ModelLogEntry.objects.count()
    for name in ("edit", "delete", "history"):
        assert client.get(url(name, project.pk)).status_code in (302, 403), name
    assert client.post(url("edit", project.pk), {"title": "Changé"}).status_code in (302, 403)
    assert client.post(url("delete", project.pk)).status_code in (302, 403)
    project.refresh_from_db()
    assert project.title == "Intact"
    assert (Revision.objects.count(), ModelLogEntry.objects.count()) == (revisions, logs)
    listing = client.get(url("list"))
    assert listing.status_code in (200, 302, 403)
    assert "Intact" not in listing.text


def test_the_add_form_has_the_local_map(senegal_agent):
    html = senegal_agent.get(url("add")).text
    assert 'data-controller="leaflet-field"' in html
    assert "/static/vendor/leaflet/leaflet.js" in html


# Public pages


@pytest.fixture
def bourse(home):
    return BoursePageFactory(parent=home, slug="bourse-projets")


def test_the_bourse_page_lists_and_maps_visible_projects_only(client, bourse, countries):
    shown = BourseProjectFactory(title="Marché de Kaolack", partner__name="Kaolack", partner__latitude=14.1)
    BourseProjectFactory(title="Expiré", expires_on=timezone.localdate() - datetime.timedelta(days=1))
    BourseProjectFactory(title="Brouillon", live=False)
    BourseProjectFactory(title="Conclu", status=BourseProject.Status.PARTNERED)
    response = client.get(bourse.url)
    assert response.status_code == 200
    html = response.text
    assert "Marché de Kaolack" in html
    for hidden in ("Expiré", "Brouillon", "Conclu"):
        assert hidden not in html
    config = json.loads(response.context["map_config"])
    assert [point[0] for point in config["points"]["partners"]] == [shown.pk]
    assert "atlas-map" in html
    assert "atlas-map.js" in html
    assert "leaflet.css" in html
    assert "fr-callout" in html
    assert reverse("atlas_data:bourse_csv") in html
    assert reverse("atlas_data:bourse_json") in html


def test_a_project_expiring_yesterday_leaves_the_list_by_itself(client, bourse):
    project = BourseProjectFactory(title="Bientôt expiré", expires_on=timezone.localdate())
    assert "Bientôt expiré" in client.get(bourse.url).text
    BourseProject.objects.filter(pk=project.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert "Bientôt expiré" not in client.get(bourse.url).text
    assert client.get(f"{bourse.url}projets/{project.pk}/").status_code == 404


def test_filters_by_country_continent_theme_status_and_budget(client, bourse, countries):
    water = Theme.objects.get(slug="eau-et-assainissement")
    health = Theme.objects.get(slug="sante")
    vietnam = Country.objects.get(code="VN")
    BourseProjectFactory(title="Alpha", budget=10000, themes=[water])
    BourseProjectFactory(
        title="Beta", budget=500000, themes=[health], status=BourseProject.Status.IN_DISCUSSION
    )
    BourseProjectFactory(title="Gamma", budget=80000, partner__country=vietnam, themes=[water])

    def titles(query):
        response = client.get(bourse.url, query)
        assert response.status_code == 200
        return sorted(p.title for p in response.context["page_obj"])

    assert titles({"country": vietnam.slug}) == ["Gamma"]
    assert titles({"continent": "AS"}) == ["Gamma"]
    assert titles({"theme": ["eau-et-assainissement"]}) == ["Alpha", "Gamma"]
    assert titles({"status": "in_discussion"}) == ["Beta"]
    assert titles({"budget_min": "50000", "budget_max": "100000"}) == ["Gamma"]
    assert titles({"continent": "AF", "theme": ["eau-et-assainissement"]}) == ["Alpha"]


@pytest.mark.parametrize(
    "query",
    [
        {"country": "atlantide"},
        {"continent": "ZZ"},
        {"theme": ["nope"]},
        {"status": "closed"},
        {"budget_min": "beaucoup"},
        {"budget_min": "-5"},
        {"budget_max": "1e400"},
        {"budget_min": "100", "budget_max": "10"},
        {"page": "x"},
    ],
)
def test_bad_filter_values_give_a_french_form_error_never_a_500(client, bourse, query):
    BourseProjectFactory(title="Alpha")
    response = client.get(bourse.url, query)
    assert response.status_code == 200
    if "page" not in query:
        assert "Certains filtres ne sont pas valides" in response.text
        assert not list(response.context["page_obj"])


def test_the_list_is_paginated_and_keeps_the_filters(client, bourse, settings):
    water = Theme.objects.get(slug="eau-et-assainissement")
    for number in range(BoursePage.projects_per_page + 3):
        BourseProjectFactory(title=f"Projet {number:02d}", themes=[water])
    response = client.get(bourse.url, {"theme": "eau-et-assainissement"})
    assert len(response.context["page_obj"]) == BoursePage.projects_per_page
    assert "theme=eau-et-assainissement&amp;page=2" in response.text
    second = client.get(bourse.url, {"theme": "eau-et-assainissement", "page": 2})
    assert len(second.context["page_obj"]) == 3


def test_the_project_page_shows_what_is_sought_and_the_partners_own_words(client, bourse, embassy):
    project = BourseProjectFactory(
        title="Marché de Kaolack",
        partner__name="Kaolack",
        embassy=embassy,
        budget=50000,
        duration_months=24,
        working_languages="français, wolof",
        partner_kind_sought="commune",
        partner_size_sought="medium",
        original_language="Portuguese",
        original_title="Mercado de Kaolack",
        original_summary="Reabilitação do mercado central.",
    )
    response = client.get(f"{bourse.url}projets/{project.pk}/")
    assert response.status_code == 200
    html = response.text
    for text in (
        "Marché de Kaolack",
        "Kaolack",
        "Sénégal",
        "50\u202f000 €",
        "français, wolof",
        "Ambassade de France au Sénégal",
        "Mercado de Kaolack",
        'lang="pt"',
        "fr-callout",
    ):
        assert text in html, text
    config = json.loads(response.context["map_config"])
    assert config["points"]["partners"][0][0] == project.pk
    assert '<dd class="bourse-interest-count">0</dd>' in html  # how many, never who
    assert "<dd>24 mois</dd>" in html  # the duration, in months


def test_the_project_page_shows_the_interest_count_when_given(rf, bourse):
    from django.template.loader import render_to_string

    project = BourseProjectFactory()
    html = render_to_string(
        "bourse/project.html",
        {"page": bourse, "project": project, "map_config": "{}", "interest_count": 3},
        request=rf.get("/"),
    )
    assert 'class="bourse-interest-count">3<' in html


def test_unpublished_or_unknown_projects_are_not_found(client, bourse):
    draft = BourseProjectFactory(live=False)
    assert client.get(f"{bourse.url}projets/{draft.pk}/").status_code == 404
    assert client.get(f"{bourse.url}projets/999999/").status_code == 404


def test_query_counts_stay_bounded(client, bourse, django_assert_max_num_queries):
    water = Theme.objects.get(slug="eau-et-assainissement")
    projects = [BourseProjectFactory(themes=[water]) for _ in range(15)]
    client.get(bourse.url)  # warms the site and settings caches
    with django_assert_max_num_queries(25):
        assert (
            client.get(bourse.url, {"theme": "eau-et-assainissement", "continent": "AF"}).status_code == 200
        )
    with django_assert_max_num_queries(25):
        assert client.get(f"{bourse.url}projets/{projects[0].pk}/").status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("atlas_data:bourse_json")).status_code == 200


# Exports


def test_csv_export_has_the_schema_columns_and_the_visible_projects(client, bourse):
    from atlas.bourse.exports import COLUMN_NAMES

    project = BourseProjectFactory(title="Marché de Kaolack", budget=50000)
    BourseProjectFactory(title="Brouillon", live=False)
    response = client.get(reverse("atlas_data:bourse_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    # The export is streamed: its body is read from streaming_content.
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert list(rows[0]) == COLUMN_NAMES
    assert [row["title"] for row in rows] == ["Marché de Kaolack"]
    assert rows[0]["budget"] == "50000"
    assert rows[0]["url"].endswith(f"/bourse-projets/projets/{project.pk}/")


def test_json_export_documents_its_schema_in_french(client, bourse):
    BourseProjectFactory(title="Marché de Kaolack")
    response = client.get(reverse("atlas_data:bourse_json"), HTTP_ACCEPT_LANGUAGE="fr")
    data = json.loads(b"".join(response.streaming_content))  # streamed: no response.json()
    assert data["count"] == 1
    assert data["results"][0]["title"] == "Marché de Kaolack"
    fields = {field["name"]: field for field in data["schema"]["fields"]}
    assert fields["budget"]["type"] == "integer"
    assert fields["id"]["description"]


def test_exports_refuse_bad_filters_with_a_400(client):
    assert client.get(reverse("atlas_data:bourse_json"), {"budget_min": "x"}).status_code == 400
    assert client.get(reverse("atlas_data:bourse_csv"), {"continent": "ZZ"}).status_code == 400


# Demo


def test_demo_content_is_idempotent(home):
    from atlas.bourse import demo as bourse_demo

    BoursePageFactory(parent=home, slug="bourse-projets")
    first = bourse_demo.load(home)
    assert len(first) == 8
    assert len(bourse_demo.load(home)) == 8
    assert all(project.themes.exists() for project in first)
    assert BourseProject.objects.count() == 8
    assert BourseProject.objects.visible().count() == 8
    assert set(BourseProject.objects.values_list("country__code", flat=True)) == {"SN", "MA", "VN", "MG"}
    assert all(
        project.embassy and project.embassy.kind == "embassy" for project in BourseProject.objects.all()
    )
