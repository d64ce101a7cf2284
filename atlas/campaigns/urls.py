"""The campaign's admin pages, mounted under /admin/campagnes/ by wagtail_hooks.py."""

from django.urls import path

from . import views

app_name = "campaigns"
urlpatterns = [
    path("", views.index, name="index"),
    path("ouvrir/", views.open_view, name="open"),
    path("ma-campagne/", views.mine, name="mine"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/reprendre/", views.resume, name="resume"),
    path("<int:pk>/clore/", views.close, name="close"),
    path("<int:pk>/tableau-de-bord/", views.dashboard, name="dashboard"),
    path("<int:pk>/avancement.csv", views.dashboard_csv, name="dashboard_csv"),
    path("<int:pk>/relancer/<int:authority_id>/", views.remind_view, name="remind"),
]
