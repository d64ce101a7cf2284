"""The extranet's Bourse-projets under /compte/bourse/, in the "accounts" namespace ("bourse_…") where they
have always been: portal/urls.py adds them to the extranet's addresses (the extranet does not import the
Bourse)."""

from django.urls import path

from . import member_views as views

urlpatterns = [
    path("", views.projects, name="bourse_projects"),
    path("projets/<int:pk>/interet/", views.interest, name="bourse_interest"),
    path("interets/<int:pk>/mise-en-relation/", views.put_in_touch, name="bourse_put_in_touch"),
    path("interets/<int:pk>/partenariat/", views.partnership, name="bourse_partnership"),
    path("alertes/", views.alerts, name="bourse_alerts"),
    path("alertes/<int:pk>/supprimer/", views.alert_delete, name="bourse_alert_delete"),
]
