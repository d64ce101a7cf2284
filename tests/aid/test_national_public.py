# ruff: noqa: F811 (the `world` fixture is imported)
"""The public side of the e-APD: the authority page, the Atlas home and the open-data page show FILED
declarations only, at once after a filing; the Atlas' panel hooks are generic."""

import csv
import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from wagtail import hooks

from atlas.aid.models import AidDeclaration, AidWindow
from atlas.panels import AUTHORITY_PANELS, HOME_PANELS
from tests.aid.national_world import YEAR, world  # noqa: F401


def authority_page(client, atlas, authority):
    response = client.get(f"{atlas.url}collectivites/{authority.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_authority_page_shows_filed_totals_by_year_with_the_source_year(client, atlas, world):
    html = authority_page(client, atlas, world.lyon)
    assert "20\u202f000 €" in html
    assert "7\u202f000 €" in html
    assert f"{YEAR}." in html.split("e-APD")[1]  # the last year declared, named with the source
    assert 'class="atlas-bars__bar" width="28%"' in html  # 7 000 is 35 % of 20 000; the longest bar is 80 %


def test_an_unfiled_draft_never_shows_publicly(client, atlas, world):
    html = authority_page(client, atlas, world.drafty)
    assert "999\u202f999" not in html
    home = client.get(atlas.url).content.decode()
    assert "999\u202f999" not in home
    assert "1\u202f034\u202f999" not in home  # the national total without the draft is 35 000
    dataset = client.get(reverse("aid_public_dataset", args=[YEAR]))
    body = b"".join(dataset.streaming_content).decode("utf-8-sig")
    assert "Brouillonville" not in body
    assert "999999" not in body


def test_a_filing_shows_at_once(client, atlas, world):
    assert "999\u202f999" not in authority_page(client, atlas, world.drafty)  # now cached
    declaration = AidDeclaration.objects.get(authority=world.drafty)
    declaration.status, declaration.filed_at = AidDeclaration.Status.FILED, timezone.now()
    declaration.save()
    assert "999\u202f999 €" in authority_page(client, atlas, world.drafty)


def test_no_aid_is_shown_as_a_declaration(client, atlas, world):
    html = authority_page(client, atlas, world.nantes)
    assert "Aucune aide au développement déclarée." not in html
    assert "no aid declared for this year" in html or "aucune aide déclarée pour cette année" in html


def test_the_home_shows_the_last_complete_national_total(client, atlas, world):
    # The 2024 window is still open: its total is not complete; the last closed window is 2023's.
    now = timezone.now()
    AidWindow.objects.create(
        year=YEAR - 1, opens_at=now - timedelta(days=400), closes_at=now - timedelta(days=350)
    )
    html = client.get(atlas.url).content.decode()
    assert "7\u202f000" in html
    assert reverse("aid_public_dataset", args=[YEAR - 1]) in html


def test_open_data_offers_one_csv_per_year_aggregated_by_authority_and_recipient(client, world):
    html = client.get(reverse("atlas_data:open_data")).content.decode()
    assert reverse("aid_public_dataset", args=[YEAR]) in html
    assert reverse("aid_public_dataset", args=[YEAR - 1]) in html
    response = client.get(reverse("aid_public_dataset", args=[YEAR]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert {(row["authority_name"], row["recipient_name"], row["amount_eur"]) for row in rows} >= {
        ("Quimper", "Burkina Faso", "10000"),
        ("Lyon", "Sénégal", "20000"),
        ("Nantes", "", "0"),  # declared no aid
    }
    assert "document" not in rows[0]
    assert client.get(reverse("aid_public_dataset", args=[1999])).status_code == 404


def test_the_atlas_panel_hooks_show_any_products_panel(client, atlas, world):
    def authority_panel(request, authority):
        return format_html("<p>Panneau d’essai pour {}</p>", authority.name)

    def home_panel(request, page):
        return None  # a panel with nothing to say leaves no trace

    with (
        hooks.register_temporarily(AUTHORITY_PANELS, authority_panel),
        hooks.register_temporarily(HOME_PANELS, home_panel),
    ):
        assert "Panneau d’essai pour Lyon" in authority_page(client, atlas, world.lyon)
        assert client.get(atlas.url).status_code == 200
