"""The API's addresses, within the atlas_data namespace (atlas/urls.py mounts them at /donnees/api/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.DocsView.as_view(), name="api_docs"),
    path("schema/", views.SchemaView.as_view(), name="api_schema"),
    path("projets/", views.ProjectList.as_view(), name="api_projects"),
    path("projets/<int:pk>/", views.ProjectDetail.as_view(), name="api_project"),
]
