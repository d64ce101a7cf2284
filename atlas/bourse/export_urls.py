"""The Bourse's open data under /donnees/bourse/: portal/urls.py adds these to the Atlas's data addresses, in
the "atlas_data" namespace where they have always been (the Atlas itself does not import the Bourse)."""

from django.urls import path

from . import exports

urlpatterns = [
    path("bourse/projets.csv", exports.bourse_csv, name="bourse_csv"),
    path("bourse/projets.json", exports.bourse_json, name="bourse_json"),
]
