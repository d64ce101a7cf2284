"""Asking reviewers for their opinion on a dossier, and telling people about it by e-mail.

Kept apart from instruction.py so that the state machine (workflow.py) can ask the embassy and the prefecture
automatically when a dossier goes under instruction, without importing the instruction's views of it."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Membership, Organisation
from portal.core.links import absolute
from portal.core.mail import send_mail_template

from .instruction_models import OpinionRequest
from .models import Application

State = Application.State
# Days a reviewer has to give its opinion.
OPINION_DAYS = 21
REVIEWER_KINDS = (
    Organisation.Kind.EMBASSY,
    Organisation.Kind.PREFECTURE,
    Organisation.Kind.MINISTRY,
    Organisation.Kind.OPERATOR,
)
# The states in which opinions are asked and given.
OPINION_STATES = (State.FILED, State.UNDER_INSTRUCTION, State.CORRECTION_REQUESTED)


# Notifications ----------------------------------------------------------------------------------------------


def organisation_agents(organisation_ids):
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__organisation_id__in=organisation_ids,
            memberships__status=Membership.Status.APPROVED,
        )
        .distinct()
    )


def notify_reviewers(opinion_request, template, request=None, **extra):
    context = {"opinion": opinion_request, "application": opinion_request.application, **extra}
    context["link"] = dossier_link(opinion_request.application, request)
    return send_mail_template(template, context, organisation_agents([opinion_request.organisation_id]))


def notify_applicant(application, template, request=None, **extra):
    context = {"application": application, "link": dossier_link(application, request), **extra}
    return send_mail_template(template, context, organisation_agents([application.organisation_id]))


def dossier_link(application, request=None):
    return absolute(reverse("funding_dossier", args=[application.pk]), request)


# Opinions --------------------------------------------------------------------------------------------------


def automatic_reviewers(application):
    """The embassy of the dossier's country and the prefecture of the lead authority's région."""
    region = application.lead_authority.region if application.lead_authority_id else None
    return Organisation.objects.filter(
        Q(kind=Organisation.Kind.EMBASSY, countries=application.country_id)
        | Q(kind=Organisation.Kind.PREFECTURE, region=region or "-")
    ).distinct()


def request_opinion(application, organisation, user=None, due_on=None, automatic=False, request=None):
    """Asks `organisation` for its opinion on the dossier (once: asking again returns the first request)."""
    if organisation.kind not in REVIEWER_KINDS:
        raise ValidationError(_("Opinions are asked of embassies, prefectures, ministries and operators."))
    if application.state not in OPINION_STATES:
        raise ValidationError(_("Opinions are asked while the dossier is under instruction."))
    opinion, created = OpinionRequest.objects.get_or_create(
        application=application,
        organisation=organisation,
        defaults={
            "requested_by": user,
            "automatic": automatic,
            "due_on": due_on or timezone.localdate() + timedelta(days=OPINION_DAYS),
        },
    )
    if created:
        transaction.on_commit(
            lambda: notify_reviewers(opinion, "funding/instruction/mail/opinion_requested", request)
        )
    return opinion


def request_automatic_opinions(application, user=None, request=None):
    return [
        request_opinion(application, organisation, user, automatic=True, request=request)
        for organisation in automatic_reviewers(application)
    ]
