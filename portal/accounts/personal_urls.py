"""The personal space, included under /compte/espace/ within the "accounts" namespace (names "personal_…")."""

from django.urls import path

from . import personal_views as views

urlpatterns = [
    path("", views.personal_space, name="personal_space"),
    path("cartes/enregistrer/", views.map_save, name="personal_map_save"),
    path("cartes/<int:pk>/modifier/", views.map_edit, name="personal_map_edit"),
    path("cartes/<int:pk>/deplacer/", views.map_move, name="personal_map_move"),
    path("cartes/<int:pk>/supprimer/", views.map_delete, name="personal_map_delete"),
    path("albums/nouveau/", views.album_create, name="personal_album_create"),
    path("albums/<int:pk>/modifier/", views.album_edit, name="personal_album_edit"),
    path("albums/<int:pk>/deplacer/", views.album_move, name="personal_album_move"),
    path("albums/<int:pk>/supprimer/", views.album_delete, name="personal_album_delete"),
    path("exports/<int:pk>/telecharger/", views.export_download, name="personal_export_download"),
    path("exports/<int:pk>/envoyer/", views.export_send, name="personal_export_send"),
    path("exports/<int:pk>/supprimer/", views.export_delete, name="personal_export_delete"),
    path("exports/lien/<str:token>/", views.export_link, name="personal_export_link"),
]
