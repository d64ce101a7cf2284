import csv
import io
import json
import uuid

import pytest
from openpyxl import load_workbook

from django.urls import reverse

from atlas.exports import views
from atlas.exports.pdf import LocalFilesOnly, map_svg, render_projects_document, world_outlines
from atlas.exports.schema import COLUMN_NAMES
from atlas.exports.tasks import build_pdf_export
from atlas.filters import project_queryset
from atlas.models import Country, Project, Theme
from atlas.models.exports import ExportJob
from tests.atlas.factories import (
    AtlasPageFactory,
    CooperationFactory,
    PartnerAuthorityFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def water():
    return Theme.objects.get(slug="eau-et-assainissement")


@pytest.fixture
def projects(water):
    culture = Theme.objects.get(slug="culture")
    senegal = PartnerAuthorityFactory(country=Country.objects.get(code="SN"), latitude=14.7, longitude=-17.4)
    return {
        "bf": [ProjectFactory(title=f"Forages au Burkina {n}", themes=[water]) for n in range(2)],
        "sn": [ProjectFactory(title="Festival de Dakar", cooperation__partner=senegal, themes=[culture])],
    }


def burkina_slug():
    return Country.objects.get(code="BF").slug


def read_csv(response):
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def document_text(document):
    """Text of a laid-out WeasyPrint document (pdftotext is not installed on every machine)."""
    texts = []
    for page in document.pages:
        for box in page._page_box.descendants():
            text = getattr(box, "text", None)
            if isinstance(text, str):
                texts.append(text)
    return " ".join(texts)


def test_csv_has_the_schema_header_and_the_filtered_rows(client, home, projects):
    AtlasPageFactory(parent=home, slug="atlas")  # the "url" column is the address of its project sheet
    response = client.get(reverse("atlas_data:projects_csv"), {"country": burkina_slug()})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="atlas-projets.csv"' in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(body))) == COLUMN_NAMES
    rows = list(csv.DictReader(io.StringIO(body)))
    assert sorted(row["title"] for row in rows) == ["Forages au Burkina 0", "Forages au Burkina 1"]
    row = rows[0]
    assert row["country_code"] == "BF"
    assert row["themes"] == "Eau et assainissement"
    assert row["twinning"] == "false"
    assert row["authority_region"] == "Auvergne-Rhône-Alpes"
    assert row["url"] == f"http://testserver/atlas/projets/{row['id']}/"


def test_csv_joins_themes_and_reads_whole_atlas_in_few_queries(client, water, django_assert_max_num_queries):
    culture = Theme.objects.get(slug="culture")
    cooperation = CooperationFactory()
    for n in range(30):
        ProjectFactory(cooperation=cooperation, title=f"Projet {n:02}", themes=[culture, water])
    with django_assert_max_num_queries(6):
        rows = read_csv(client.get(reverse("atlas_data:projects_csv")))
    assert len(rows) == 30
    assert rows[0]["themes"] == "Culture; Eau et assainissement"


def test_xlsx_has_the_filtered_rows(client, projects):
    response = client.get(reverse("atlas_data:projects_xlsx"), {"country": "senegal"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMN_NAMES
    assert len(rows) == 2
    record = dict(zip(COLUMN_NAMES, rows[1], strict=True))
    assert record["title"] == "Festival de Dakar"
    assert record["country_code"] == "SN"
    assert record["start_year"] == 2018


def test_geojson_is_a_feature_collection_of_partner_points(client, projects):
    response = client.get(reverse("atlas_data:projects_geojson"), {"country": burkina_slug()})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(b"".join(response.streaming_content))
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == 2
    feature = data["features"][0]
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [-1.52, 12.37]}
    assert set(feature["properties"]) == set(COLUMN_NAMES)
    assert feature["properties"]["country_code"] == "BF"


def test_theme_filter_excludes_other_themes(client, projects):
    rows = read_csv(client.get(reverse("atlas_data:projects_csv"), {"theme": "culture"}))
    assert [row["title"] for row in rows] == ["Festival de Dakar"]


def test_geojson_of_an_empty_result_is_valid(client):
    data = json.loads(b"".join(client.get(reverse("atlas_data:projects_geojson")).streaming_content))
    assert data == {"type": "FeatureCollection", "features": []}


@pytest.mark.parametrize("name", ["projects_csv", "projects_xlsx", "projects_geojson", "projects_pdf"])
@pytest.mark.parametrize(
    "query",
    [
        {"country": "atlantide"},
        {"year_from": "abc"},
        {"status": "lost"},
        {"year_from": 2020, "year_to": 2010},
    ],
)
def test_invalid_filters_give_a_400_page_with_the_errors(client, home, name, query):
    response = client.get(reverse(f"atlas_data:{name}"), query)
    assert response.status_code == 400
    assert 'class="fr-alert fr-alert--error' in response.content.decode()


def test_open_data_page_documents_the_schema_and_links_the_dumps(client, home):
    response = client.get(reverse("atlas_data:open_data"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in COLUMN_NAMES:
        assert f"<code>{name}</code>" in html
    assert f'href="{reverse("atlas_data:projects_csv")}"' in html
    assert f'href="{reverse("atlas_data:projects_geojson")}"' in html
    assert "etalab-2.0" in html
    assert "http://testserver/donnees/api/projets/" in html


def test_pdf_map_has_outlines_and_points():
    assert len(world_outlines()) > 150
    svg = map_svg([(12.37, -1.52), (12.37, -1.52)], [(45.76, 4.83)])
    assert svg.count("<circle") == 2
    assert svg.count("<path") == len(world_outlines())


def test_pdf_renderer_refuses_remote_urls():
    with pytest.raises(ValueError, match="Remote resources"):
        LocalFilesOnly().fetch("https://tiles.example.org/0/0/0.png")


def test_small_pdf_is_rendered_at_once(client, projects):
    response = client.get(reverse("atlas_data:projects_pdf"), {"country": burkina_slug()})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response.content.startswith(b"%PDF")


def test_pdf_shows_title_filters_count_and_projects(projects):
    document = render_projects_document(
        project_queryset().filter(cooperation__partner__country__code="BF"),
        [("Pays", "Burkina Faso")],
        "Projets au Burkina Faso",
    )
    text = document_text(document)
    assert "Projets au Burkina Faso" in text
    assert "Burkina Faso" in text
    assert "Forages au Burkina 0" in text
    assert "Festival de Dakar" not in text


def test_500_projects_fit_in_a_multi_page_pdf(water):
    # Its speed is measured by `make bench` (pdf_500_seconds), not asserted here.
    cooperations = [CooperationFactory() for _ in range(25)]
    Project.objects.bulk_create(
        Project(
            cooperation=cooperations[n % 25],
            title=f"Projet de coopération numéro {n} pour l’eau potable et l’assainissement",
            summary="Résumé",
            start_year=2010 + n % 10,
        )
        for n in range(500)
    )
    Project.themes.through.objects.bulk_create(
        Project.themes.through(project_id=pk, theme_id=water.pk)
        for pk in Project.objects.values_list("pk", flat=True)
    )
    document = render_projects_document(project_queryset(), [], "Atlas")
    assert len(document.pages) >= 15  # 500 table rows, about 20 to a page
    assert document.write_pdf().startswith(b"%PDF")


def test_large_pdf_export_runs_as_a_job_and_downloads(client, home, projects, monkeypatch):
    monkeypatch.setattr(views, "PDF_INLINE_LIMIT", 1)
    response = client.get(
        reverse("atlas_data:projects_pdf"), {"country": burkina_slug(), "status": "ongoing"}
    )
    assert response.status_code == 303
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("atlas_data:export_status", args=[job.pk])
    assert job.status == ExportJob.Status.DONE
    assert job.progress == 100
    assert job.total == 2
    assert job.finished_at is not None
    assert "status=ongoing" in job.query

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    file_url = reverse("atlas_data:export_file", args=[job.pk])
    assert f'href="{file_url}"' in html
    assert 'http-equiv="refresh"' not in html
    assert "/media/" not in html

    download = client.get(file_url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_pending_job_page_refreshes_and_shows_progress(client, home):
    job = ExportJob.objects.create(title="Atlas", progress=40, total=300)
    html = client.get(reverse("atlas_data:export_status", args=[job.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert '<progress max="100" value="40"' in html
    assert 'role="status"' in html
    assert client.get(reverse("atlas_data:export_file", args=[job.pk])).status_code == 404


def test_failed_job_says_so_and_links_back_to_the_search(client, home):
    job = ExportJob.objects.create(title="Atlas", query="country=atlantide")
    build_pdf_export.enqueue(job_id=str(job.pk))
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert job.error
    html = client.get(reverse("atlas_data:export_status", args=[job.pk])).content.decode()
    assert "fr-alert--error" in html
    assert 'http-equiv="refresh"' not in html
    assert client.get(reverse("atlas_data:export_file", args=[job.pk])).status_code == 404


def test_unknown_job_gives_404(client, home):
    unknown = uuid.uuid4()
    assert client.get(reverse("atlas_data:export_status", args=[unknown])).status_code == 404
    assert client.get(reverse("atlas_data:export_file", args=[unknown])).status_code == 404
    assert client.get("/donnees/export/not-a-uuid/").status_code == 404
