"""A visitor's interest in a Bourse project without an account (a foreign partner reading the portal in
English, an NGO...): the form's rules, the rate limit, the record kept for the embassy, the e-mails.

French authorities' agents keep their own interest form (member_views.interest), which records which
authority is interested; this one records who wrote, for the embassy of the project's country."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils.translation import get_language

from portal.accounts.models import Membership, Organisation
from portal.core.client_address import client_address
from portal.core.links import absolute
from portal.core.mail import send_mail_template

from . import matching
from .models import BourseContactRequest

# Requests one address may send in RATE_WINDOW seconds, every project together (settings may change both):
# enough for a partner writing to a few projects, too few for a robot that passed the honeypot.
RATE_LIMIT = 5
RATE_WINDOW = 3600
RATE_KEY = "bourse-contact:{}"


def rate_limit():
    return getattr(settings, "BOURSE_CONTACT_RATE_LIMIT", RATE_LIMIT)


def rate_window():
    return getattr(settings, "BOURSE_CONTACT_RATE_WINDOW", RATE_WINDOW)


def over_rate(request):
    """Whether this visitor's address has sent its quota of requests in the window. In the shared cache
    (Redis in production), so the limit holds across processes."""
    return cache.get(RATE_KEY.format(client_address(request)), 0) >= rate_limit()


def count_request(request):
    key = RATE_KEY.format(client_address(request))
    if not cache.add(key, 1, timeout=rate_window()):
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, timeout=rate_window())


def embassy_recipients(project):
    """Who answers for the project: the agents of its registering embassy, else of the embassies of its
    country, else the Délégation (a request is never lost for want of an embassy)."""
    agents = matching.embassy_agents(project)
    if not agents.exists():
        embassies = Organisation.objects.filter(
            kind=Organisation.Kind.EMBASSY, countries=project.country_id
        ).values("pk")
        agents = (
            get_user_model()
            .objects.filter(
                pk__in=Membership.objects.approved().filter(organisation_id__in=embassies).values("user_id"),
                is_active=True,
            )
            .exclude(email="")
        )
    if not agents.exists():
        agents = matching.delegation_admins()
    return list(agents.order_by("pk"))


def send_request(project, data, request):
    """Stores the request and e-mails it: to the embassy's agents, each in their language, replying to the
    visitor; an acknowledgement to the visitor in the page's language. Returns the stored request."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    with transaction.atomic():
        contact = BourseContactRequest.objects.create(
            project=project,
            name=data["name"],
            organisation=data["organisation"],
            country=data["country"],
            email=data["email"],
            message=data["message"],
            language=language,
        )
    count_request(request)
    context = {
        "contact": contact,
        "project": project,
        "project_link": absolute(matching.project_url(project), request),
        "manage_link": absolute(contact_requests_url(), request),
    }
    send_mail_template(
        "bourse/mail/contact_request", context, embassy_recipients(project), reply_to=contact.email
    )
    send_mail_template("bourse/mail/contact_receipt", context, contact.email, language=language)
    return contact


def contact_requests_url():
    """The admin's list of contact requests (wagtail_hooks.BourseContactRequestViewSet)."""
    return reverse(f"wagtailsnippets_atlas_{BourseContactRequest._meta.model_name}:list")
