"""The public e-APD dataset, mounted at /donnees/apd/ beside the Atlas open data (portal/urls.py)."""

from django.urls import path

from . import public

urlpatterns = [
    path("<int:year>.csv", public.dataset, name="aid_public_dataset"),
]
