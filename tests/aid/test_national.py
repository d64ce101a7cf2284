# ruff: noqa: F811 (the `world` fixture is imported)
"""The national e-APD views: totals and breakdowns of FILED declarations, who has declared, reminders, the
CRS exports; constant query counts."""

import csv
import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import ModelLogEntry

from atlas.aid import codes
from atlas.aid.crs_schema import COLUMN_NAMES
from atlas.aid.national import REMINDER_ACTION
from atlas.models import Authority, Country
from tests.aid.national_world import YEAR, filed, login, world  # noqa: F401
from tests.atlas.factories import AidLineFactory, AuthorityFactory

MAX_QUERIES = 25


def reminders():
    return ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Authority), action=REMINDER_ACTION
    )


def text(response):
    return response.content.decode()


def test_national_totals_count_filed_declarations_only(client, world):
    html = text(login(client, world.users["delegation_admin"]).get(reverse("aid_national")))
    # 2024: Quimper 15 000 + Lyon 20 000; the 999 999 € draft never counts.
    assert "35\u202f000" in html
    assert "7\u202f000" in html
    assert "999\u202f999" not in html
    # The chart is an SVG a screen reader names, with the same figures in a table.
    assert 'role="img"' in html
    assert '<title id="aid-chart-title">' in html
    assert "<desc" in html
    assert "<caption" in html
    # Coordinates written with a dot, whatever the language (French formats 26.3 as "26,3").
    rects = re.findall(r"<rect ([^>]*)>", html)
    assert rects
    for attributes in rects:
        assert not re.search(r'(?:x|y|width|height)="[^"]*,', attributes)
    assert "35\u202fk€" in html  # the bar's label
    # Declaring authorities in 2024: Quimper, Lyon and Nantes ("no aid" is a declaration).
    assert "<td>35\u202f000</td><td>3</td>" in html


def test_breakdowns_of_the_year_sort_in_french_order(client, world):
    ethiopia = Country.objects.get(code="ET")
    AidLineFactory(
        declaration=filed(AuthorityFactory(name="Brest", region="53"), YEAR), country=ethiopia, amount=1
    )
    html = text(login(client, world.users["delegation_admin"]).get(reverse("aid_national"), {"year": YEAR}))
    recipients = html.split('id="breakdown-recipient"')[1].split("</table>")[0]
    # "Éthiopie" among the E, between Burkina Faso and Sénégal, not after every unaccented name.
    assert recipients.index("Burkina Faso") < recipients.index("Éthiopie") < recipients.index("Sénégal")
    # A core contribution to a body counts for the body.
    assert "UNICEF" in recipients
    sectors = html.split('id="breakdown-sector"')[1].split("</table>")[0]
    assert "122 – " in sectors
    assert "140 – " in sectors
    channels = html.split('id="breakdown-channel"')[1].split("</table>")[0]
    assert "<td>20\u202f000</td>" in channels  # the NGO channel


def test_filters_narrow_the_figures_and_bad_filters_are_a_french_400(client, world):
    login(client, world.users["delegation_admin"])
    html = text(client.get(reverse("aid_national"), {"region": "53"}))
    assert "15\u202f000" in html
    assert "35\u202f000" not in html
    html = text(client.get(reverse("aid_national"), {"channel": codes.NGO, "year": YEAR}))
    assert "<td>20\u202f000</td><td>1</td>" in html
    response = client.get(reverse("aid_national"), {"year": "deux mille", "region": "99"})
    assert response.status_code == 400
    assert "Saisissez un nombre" in text(response) or "nombre" in text(response)


def test_a_prefecture_agent_reads_its_territory_only(client, world):
    html = text(login(client, world.users["prefecture_agent"]).get(reverse("aid_national")))
    assert "15\u202f000" in html  # Quimper
    assert "35\u202f000" not in html
    assert "7\u202f000" not in html  # Lyon is not in Bretagne
    rows = text(client.get(reverse("aid_national_declarers")))
    assert "Rennes" in rows
    assert "Quimper" in rows
    assert "Lyon" not in rows
    assert "Bordeaux" not in rows


def test_query_counts_are_constant_in_rows(client, world, django_assert_max_num_queries):
    user = world.users["delegation_admin"]
    urls = [
        reverse("aid_national"),
        reverse("aid_national") + f"?year={YEAR}&region=53&sector=122",
        reverse("aid_national_declarers"),
        reverse("aid_national_declarers") + "?status=late&region=53",
        reverse("aid_national_reminders"),
        reverse("aid_national_crs_csv"),
        reverse("aid_national_crs_xlsx"),
    ]

    def counts():
        login(client, user)
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured, django_assert_max_num_queries(MAX_QUERIES):
                response = client.get(url)
                b"".join(response.streaming_content) if response.streaming else response.content
            assert response.status_code == 200, url
            result.append(len(captured))
        return result

    counts()  # warms the per-process caches (route, site settings) the first request fills
    before = counts()
    burkina = Country.objects.get(code="BF")
    for n in range(30):
        authority = AuthorityFactory(region="53" if n % 2 else "84")
        for year in (YEAR - 1, YEAR):
            AidLineFactory(
                declaration=filed(authority, year), country=burkina, amount=100 + n, purpose="12220"
            )
    assert counts() == before


def test_who_has_declared_lists_each_state_and_filters_the_late(client, world):
    login(client, world.users["delegation_admin"])
    html = text(client.get(reverse("aid_national_declarers")))
    assert f"Déclarations pour {YEAR}" in html or str(YEAR) in html
    rennes_row = html.split(">Rennes<")[1].split("</tr>")[0]
    assert "pas commencée" in rennes_row or "not started" in rennes_row
    quimper_row = html.split(">Quimper<")[1].split("</tr>")[0]
    assert "déposée" in quimper_row or "filed" in quimper_row
    late = text(client.get(reverse("aid_national_declarers"), {"status": "late"}))
    assert ">Rennes<" in late
    assert ">Brouillonville<" in late
    assert ">Quimper<" not in late
    assert client.get(reverse("aid_national_declarers"), {"year": "x"}).status_code == 400


def test_a_reminder_mails_the_agents_once_a_week_and_is_logged(client, world):
    login(client, world.users["delegation_admin"])
    url = reverse("aid_national_remind", args=[world.rennes.pk])
    response = client.post(url, {"year": YEAR}, follow=True)
    assert response.status_code == 200
    assert [message.to for message in mail.outbox] == [[world.rennes_agent.email]]
    assert str(YEAR) in mail.outbox[0].subject
    assert "/admin/" in mail.outbox[0].body
    entry = reminders().get()
    assert entry.object_id == str(world.rennes.pk)
    assert entry.data["year"] == YEAR
    # The list shows it, and the log page too.
    assert "Rennes" in text(client.get(reverse("aid_national_reminders")))
    # A second one within the week is refused with a French message, and nothing is sent nor logged.
    response = client.post(url, {"year": YEAR}, follow=True)
    # (French once the coordinator merges the catalogue; the English msgid until then.)
    assert "une relance par semaine" in text(response) or "one reminder a week" in text(response)
    assert len(mail.outbox) == 1
    assert reminders().count() == 1
    # A week later it may go again.
    reminders().update(timestamp=entry.timestamp - timedelta(days=8))
    client.post(url, {"year": YEAR})
    assert len(mail.outbox) == 2
    assert reminders().count() == 2


def test_an_authority_that_filed_is_not_reminded(client, world):
    login(client, world.users["delegation_admin"])
    client.post(reverse("aid_national_remind", args=[world.quimper.pk]), {"year": YEAR})
    assert mail.outbox == []
    assert not reminders().exists()


def test_remind_all_late_reminds_each_late_authority_of_the_territory(client, world):
    login(client, world.users["prefecture_agent"])
    client.post(reverse("aid_national_remind_all"), {"year": YEAR})
    # Bretagne: only Rennes has an agent and has not filed; Bordeaux is not the prefecture's.
    assert [message.to for message in mail.outbox] == [[world.rennes_agent.email]]
    login(client, world.users["delegation_admin"])
    client.post(reverse("aid_national_remind_all"), {"year": YEAR})
    # Rennes was reminded this week: only Bordeaux now.
    assert [message.to for message in mail.outbox][1:] == [[world.bordeaux_agent.email]]
    assert reminders().count() == 2


def test_crs_csv_has_one_row_per_filed_line_with_its_codes(client, world):
    login(client, world.users["delegation_admin"])
    response = client.get(reverse("aid_national_crs_csv"), {"year": YEAR})
    assert response["Content-Disposition"] == f'attachment; filename="apd-crs-{YEAR}.csv"'
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert list(rows[0].keys()) == COLUMN_NAMES
    assert len(rows) == 3  # Quimper's two lines and Lyon's; never the draft
    by_agency = {(row["agency_name"], row["recipient_name"]): row for row in rows}
    burkina = by_agency[("Quimper", "Burkina Faso")]
    assert burkina["recipient_code"] == "287"
    assert burkina["bi_multi"] == "1"
    assert burkina["currency"] == "EUR"
    assert burkina["channel_code"] == "11002"
    assert burkina["purpose_code"] == "14031"
    assert burkina["sector_code"] == "140"
    core = next(row for row in rows if row["recipient_code"] == "998")
    assert core["bi_multi"] == "2"
    assert core["channel_code"] == "41122"
    assert core["aid_type"] == "B02"
    lyon = by_agency[("Lyon", "Sénégal")]
    assert lyon["gender"] == "2"
    assert lyon["channel_code"] == "22000"
    assert lyon["amount"] == "20000"
    assert lyon["flow_code"] == "11"
    assert lyon["donor_code"] == "4"


def test_crs_xlsx_has_the_same_columns(client, world):
    login(client, world.users["ministry_agent"])
    response = client.get(reverse("aid_national_crs_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMN_NAMES
    assert len(rows) == 1 + 4  # every filed line of every year


@pytest.mark.parametrize("params", [{"year": "1"}, {"country": "ZZ"}, {"sector": "<b>"}])
def test_bad_export_filters_are_a_400(client, world, params):
    login(client, world.users["delegation_admin"])
    assert client.get(reverse("aid_national_crs_csv"), params).status_code == 400
