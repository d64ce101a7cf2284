"""The Délégation's list of dossiers: filters, charts (accessible SVG with its figures in a table), CSV and
XLSX exports through the Atlas export stack, and a query count that does not grow with the rows; the
dossier's follow-up page does not either."""

import csv
import io

import pytest
from openpyxl import load_workbook

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.funding import instruction
from portal.funding.instruction_models import OpinionRequest
from portal.funding.models import Application
from tests.funding.instruction_world import build_world, make_application

State = Application.State
MAX_QUERIES = 25


@pytest.fixture
def world(db):
    world = build_world()
    instruction.put_under_instruction(world.application, world.delegation)
    return world


def add_dossiers(world, count, **values):
    partner = world.application.foreign_partners.first()
    for n in range(count):
        make_application(
            world.call, world.application.organisation, partner, title=f"Dossier {n} <i>", **values
        )


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_list_costs_the_same_queries_for_1_or_40_dossiers(client, world):
    client.force_login(world.delegation)
    url = reverse("funding_dossiers")
    client.get(url)  # the first admin page of a session makes the user's admin profile
    few = queries(client, url)
    add_dossiers(world, 40)
    many = queries(client, url)
    assert many == few
    assert many <= MAX_QUERIES
    assert queries(client, url + "?state=filed&region=53") <= MAX_QUERIES


def test_the_follow_up_page_costs_the_same_queries_with_more_history(client, world):
    client.force_login(world.delegation)
    url = reverse("funding_dossier", args=[world.application.pk])
    client.get(url)  # the first admin page of a session makes the user's admin profile
    few = queries(client, url)
    for organisation in (world.ministry, world.operator):
        OpinionRequest.objects.create(
            application=world.application, organisation=organisation, due_on="2099-01-01"
        )
    instruction.request_correction(world.application, world.delegation, "Précisez le budget.")
    many = queries(client, url)
    assert many == few
    assert many <= MAX_QUERIES


def test_filters_charts_and_escaping(client, world):
    add_dossiers(world, 3, state=State.FILED)
    client.force_login(world.delegation)
    body = client.get(reverse("funding_dossiers"), {"state": "under_instruction"}).content.decode()
    assert "Eau potable à Ziguinchor" in body
    assert "Dossier 0" not in body
    body = client.get(reverse("funding_dossiers")).content.decode()
    assert "Dossier 0 &lt;i&gt;" in body
    # Each chart is an image labelled by its title and description, its figures also in a table.
    assert body.count('role="img"') == 3
    assert '<title id="chart-state-title">' in body
    assert "<desc id=" in body
    assert "Sénégal" in body
    # A bad filter value is a form error, not a 500.
    assert client.get(reverse("funding_dossiers"), {"state": "nonsense", "country": "x"}).status_code == 200


def test_csv_and_xlsx_exports(client, world):
    add_dossiers(world, 2)
    client.force_login(world.delegation)
    response = client.get(reverse("funding_dossiers"), {"export": "csv", "state": "filed"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 2
    assert rows[0]["requested"] == "40000.0"
    assert rows[0]["country_name"] == "Sénégal"
    assert rows[0]["region"] == "Bretagne"
    response = client.get(reverse("funding_dossiers"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Dossiers"
    assert sheet.max_row == 1 + 3
    assert [cell.value for cell in sheet[1]][:3] == ["id", "reference", "call"]


def test_the_reviewer_desk_costs_the_same_queries_for_1_or_20_dossiers(client, world):
    client.force_login(world.embassy_agent)
    url = reverse("funding_awaiting")
    client.get(url)  # the first admin page of a session makes the user's admin profile
    few = queries(client, url)
    add_dossiers(world, 20, state=State.UNDER_INSTRUCTION)
    for application in Application.objects.exclude(pk=world.application.pk):
        OpinionRequest.objects.create(
            application=application, organisation=world.embassy, due_on="2099-01-01"
        )
    many = queries(client, url)
    assert many == few
    assert many <= MAX_QUERIES
