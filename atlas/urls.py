"""Atlas data outside the page tree: exports, open data and the read-only API (mounted at /donnees/)."""

from django.urls import include, path

from . import embed
from . import views as map_views
from .exports import views

app_name = "atlas_data"
urlpatterns = [
    path("", views.open_data, name="open_data"),
    path("atlas/carte.json", map_views.map_data, name="map_data"),
    path("atlas/carte/integrer/", embed.embed_map, name="embed_map"),
    path("atlas/projets.csv", views.projects_csv, name="projects_csv"),
    path("atlas/projets.xlsx", views.projects_xlsx, name="projects_xlsx"),
    path("atlas/projets.geojson", views.projects_geojson, name="projects_geojson"),
    path("atlas/projets.pdf", views.projects_pdf, name="projects_pdf"),
    path("atlas/projets.pdf/garder/", views.projects_pdf_keep, name="projects_pdf_keep"),
    path("api/", include("atlas.api.urls")),
    path("export/<uuid:job_id>/", views.export_status, name="export_status"),
    path("export/<uuid:job_id>/fichier/", views.export_file, name="export_file"),
    path("export/<uuid:job_id>/garder/", views.export_keep, name="export_keep"),
]
