"""Addresses of a dossier, by URL name only (no view imported), for e-mails and other modules."""

from django.urls import reverse

from .models import Application


def preparation_url(application):
    """The applicant's page of a dossier being prepared: eligibility, documents, filing."""
    return reverse("funding_application", args=[application.pk])


def applicant_url(application):
    """Where the applicant follows the dossier: its preparation page while the organisation edits it, its
    follow-up page (state, history, opinions, decision) once filed."""
    if application.state in Application.EDITABLE_STATES:
        return preparation_url(application)
    return reverse("funding_dossier", args=[application.pk])


def receipt_url(application):
    return reverse("funding_receipt", args=[application.pk])
