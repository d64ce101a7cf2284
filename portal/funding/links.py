"""Addresses of a dossier, by URL name only (no view imported), for e-mails and other modules."""

from django.urls import reverse


def applicant_url(application):
    """The dossier's page in the admin: its state, eligibility, documents and history."""
    return reverse("funding:dossier", args=[application.pk])


def receipt_url(application):
    return reverse("funding:receipt", args=[application.pk])
