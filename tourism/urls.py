"""Members' actions on the tourism platform, under /compte/tourisme/: contributions and comments."""

from django.urls import path

from . import comment_views, contribution_views

app_name = "tourism"
urlpatterns = [
    path("", contribution_views.my_contributions, name="contributions"),
    path("experiences/nouvelle/", contribution_views.create, name="create"),
    path("experiences/<int:pk>/", contribution_views.edit, name="edit"),
    path("experiences/<int:pk>/apercu/", contribution_views.preview, name="preview"),
    path("experiences/<int:pk>/retirer/", contribution_views.withdraw, name="withdraw"),
    path("experiences/<int:pk>/commenter/", comment_views.add, name="comment"),
    path("commentaires/<int:pk>/signaler/", comment_views.report, name="report"),
    path("commentaires/<int:pk>/supprimer/", comment_views.delete, name="delete_comment"),
    path("commentaires/<int:pk>/moderer/", comment_views.moderate, name="moderate_comment"),
]
