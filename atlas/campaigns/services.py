"""Opening a campaign, mailing it in resumable batches, and reminding late authorities.

The e-mails go through the one mailer (portal.core.mail.send_mail_template), which hands each message to its
own `deliver_mail` task. The mailer's verdict comes back through django-tasks' `task_finished` signal, sent
by the immediate backend as by the database worker: `record_delivery` turns it into the sending's status, so
a bounce (a failure of Django's mail backend) shows on the campaign page.
"""

import logging
from datetime import timedelta

from django_tasks import task
from django_tasks.base import TaskResultStatus

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from atlas.models import Authority, Contact
from portal.accounts.models import Membership, Organisation
from portal.core.links import absolute
from portal.core.mail import deliver_mail, send_mail_template

from .models import CampaignReminder, CampaignSending, UpdateCampaign
from .progress import DONE, status_of, verified_count

logger = logging.getLogger(__name__)

OPENING_MAIL = "campaigns/mail/opening"
REMINDER_MAIL = "campaigns/mail/reminder"
#: Rows written per INSERT when a campaign opens, and messages handed to the mailer per transaction.
CREATE_BATCH = 1000
SEND_BATCH = 200
#: A prefecture reminds one authority at most once in this period (whoever reminded it last).
REMINDER_INTERVAL = timedelta(days=3)


class Refused(Exception):
    """An action the rules refuse; its message is for the user (French through gettext)."""


# Opening --------------------------------------------------------------------------------------------------


def campaign_recipients():
    """Every address the campaign writes to, once each (lower-cased): the approved agents of each authority,
    the agents of the prefectures, then the authorities' contacts (Atlas "Officials and staff"). An agent
    comes first so that their sending knows their account (the mail is then in their language).

    Yields dicts ready for CampaignSending(**row); three queries, streamed."""
    seen = set()
    Kind = Organisation.Kind
    agents = (
        Membership.objects.approved()
        .filter(user__is_active=True, organisation__kind__in=[Kind.LOCAL_AUTHORITY, Kind.PREFECTURE])
        .exclude(user__email="")
        .order_by("organisation__kind", "organisation_id", "user_id")
        .values_list(
            "user_id", "user__email", "organisation__kind", "organisation__authority_id", "organisation_id"
        )
    )
    for user_id, email, kind, authority_id, organisation_id in agents.iterator(chunk_size=CREATE_BATCH):
        address = email.strip().lower()
        if address in seen:
            continue
        seen.add(address)
        if kind == Kind.LOCAL_AUTHORITY:
            yield {"address": address, "recipient_id": user_id, "authority_id": authority_id}
        else:
            yield {"address": address, "recipient_id": user_id, "organisation_id": organisation_id}
    contacts = (
        Contact.objects.exclude(email="").order_by("authority_id", "pk").values_list("email", "authority_id")
    )
    for email, authority_id in contacts.iterator(chunk_size=CREATE_BATCH):
        address = email.strip().lower()
        if address in seen:
            continue
        seen.add(address)
        yield {"address": address, "authority_id": authority_id}


def queue_sendings(campaign):
    """Creates the campaign's sendings in batches; an address that already has one keeps it (a second call
    adds only the newcomers). Returns the number of sendings of the campaign."""
    batch = []
    for row in campaign_recipients():
        batch.append(CampaignSending(campaign=campaign, **row))
        if len(batch) >= CREATE_BATCH:
            CampaignSending.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        CampaignSending.objects.bulk_create(batch, ignore_conflicts=True)
    return campaign.sendings.count()


def open_campaign(*, year, opens_at, closes_at, message, user):
    """Creates the campaign and its sendings, then queues the task that mails them. The campaign exists only
    with its sendings (one transaction); the mail task runs after the commit."""
    with transaction.atomic():
        campaign = UpdateCampaign(
            year=year, opens_at=opens_at, closes_at=closes_at, message=message, opened_by=user
        )
        campaign.full_clean()
        campaign.save()
        queue_sendings(campaign)
    send_campaign.enqueue(campaign.pk)
    return campaign


# Sending --------------------------------------------------------------------------------------------------


def sending_context(sending):
    campaign = sending.campaign
    if sending.organisation_id:
        link = absolute(reverse("campaigns:dashboard", args=[campaign.pk]))
        addressee = sending.organisation.name
    else:
        link = absolute(reverse("campaigns:mine"))
        addressee = sending.authority.name if sending.authority_id else ""
    return {
        "campaign": campaign,
        "closes_on": timezone.localtime(campaign.closes_at).date(),
        "addressee": addressee,
        "is_prefecture": bool(sending.organisation_id),
        "link": link,
    }


def send_batch(campaign_id, size=SEND_BATCH):
    """Hands the next `size` never-handed sendings to the mailer; returns how many it handed.

    The sendings are marked handed in the same transaction as their e-mail tasks are queued (the database
    task queue writes in this database): after a crash either both happened or neither, so a rerun neither
    skips nor repeats anybody."""
    with transaction.atomic():
        batch = list(
            CampaignSending.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(campaign_id=campaign_id, status=CampaignSending.Status.QUEUED, handed_at__isnull=True)
            .select_related("campaign", "recipient", "authority", "organisation")
            .order_by("pk")[:size]
        )
        if not batch:
            return 0
        CampaignSending.objects.filter(pk__in=[s.pk for s in batch]).update(
            handed_at=timezone.now(), attempts=F("attempts") + 1
        )
        for sending in batch:
            # A user gets the mail in their language; a contact's bare address in the site's.
            recipient = (
                sending.recipient if sending.recipient and sending.recipient.email else sending.address
            )
            send_mail_template(OPENING_MAIL, sending_context(sending), recipient)
    return len(batch)


@task()
def send_campaign(campaign_id):
    """Mails every sending not yet handed to the mailer, batch after batch. Safe to run again at any time
    (after a crash, or from the campaign page): it only takes what is left."""
    handed = 0
    while count := send_batch(campaign_id):
        handed += count
    return handed


def record_delivery(sender, task_result, **kwargs):
    """The mailer's verdict on one campaign e-mail (django-tasks' task_finished, in the process that ran the
    task): sent, or failed with the backend's error. A failure the mailer will try again keeps the sending
    queued, with its attempt count."""
    if task_result.task.module_path != deliver_mail.module_path:
        return
    arguments = task_result.kwargs
    if arguments.get("template") != OPENING_MAIL:
        return
    sendings = CampaignSending.objects.filter(
        address=str(arguments.get("to", "")).strip().lower(),
        status=CampaignSending.Status.QUEUED,
        handed_at__isnull=False,
    )
    attempt = arguments.get("attempt", 1)
    if task_result.status == TaskResultStatus.SUCCESSFUL:
        if task_result.return_value is False:
            sendings.update(
                attempts=attempt + 1, last_error=_("The mail server refused it; tried again later.")
            )
        else:
            sendings.update(status=CampaignSending.Status.SENT, sent_at=timezone.now(), attempts=attempt)
    elif task_result.status == TaskResultStatus.FAILED:
        sendings.update(
            status=CampaignSending.Status.FAILED, attempts=attempt, last_error=error_text(task_result)
        )


def error_text(task_result):
    """The last line of the failure's traceback ("SMTPRecipientsRefused: {...}"), short enough to show."""
    if not task_result.errors:
        return ""
    error = task_result.errors[-1]
    lines = [line for line in (error.traceback or "").strip().splitlines() if line.strip()]
    text = lines[-1] if lines else error.exception_class_path
    return text[:500]


def close_campaign(campaign, now=None):
    """Closes the window now (if it was still open): confirmations made from now on count for no campaign."""
    now = now or timezone.now()
    campaign.state = UpdateCampaign.State.CLOSED
    campaign.closes_at = min(campaign.closes_at, now) if campaign.opens_at < now else campaign.closes_at
    campaign.save(update_fields=["state", "closes_at"])


# Reminders ------------------------------------------------------------------------------------------------


def last_reminder(authority):
    return CampaignReminder.objects.filter(authority=authority).order_by("-sent_at").first()


def remind(campaign, authority_id, user, now=None):
    """E-mails a reminder to the agents and contacts of a late authority and logs it. Raises Refused (and
    changes nothing) when the campaign is not open, the authority is done, was reminded less than three days
    ago, or has no address."""
    now = now or timezone.now()
    if not campaign.is_open(now):
        raise Refused(_("This campaign is not open: reminders are sent only while it runs."))
    with transaction.atomic():
        # Locking the authority serialises two reminders sent at the same moment: the second sees the first.
        authority = (
            Authority.objects.select_for_update(of=("self",))
            .annotate(n_verified=verified_count(campaign))
            .filter(pk=authority_id)
            .first()
        )
        if authority is None:
            raise Refused(_("This authority does not exist."))
        if status_of(authority.n_verified) == DONE:
            raise Refused(
                _("%(name)s has verified its five parts: no reminder needed.") % {"name": authority.name}
            )
        previous = last_reminder(authority)
        if previous and previous.sent_at > now - REMINDER_INTERVAL:
            again = timezone.localtime(previous.sent_at + REMINDER_INTERVAL)
            raise Refused(
                _("%(name)s was already reminded on %(date)s; a new reminder is possible from %(again)s.")
                % {
                    "name": authority.name,
                    "date": formats_date(previous.sent_at),
                    "again": formats_date(again, with_time=True),
                }
            )
        recipients = reminder_recipients(authority)
        if not recipients:
            raise Refused(
                _("No e-mail address is known for %(name)s: add an official or an agent first.")
                % {"name": authority.name}
            )
        context = {
            "campaign": campaign,
            "authority": authority,
            "closes_on": timezone.localtime(campaign.closes_at).date(),
            "link": absolute(reverse("campaigns:mine")),
            "sender_organisation": sender_organisation(user),
        }
        sent = send_mail_template(REMINDER_MAIL, context, recipients)
        return CampaignReminder.objects.create(
            campaign=campaign, authority=authority, sent_by=user, sent_at=now, recipients=sent
        )


def reminder_recipients(authority):
    agents = [
        membership.user
        for membership in Membership.objects.approved()
        .filter(organisation__authority=authority, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
    ]
    contacts = list(
        Contact.objects.filter(authority=authority).exclude(email="").values_list("email", flat=True)
    )
    return agents + contacts


def sender_organisation(user):
    membership = (
        Membership.objects.approved()
        .filter(user=user, organisation__kind=Organisation.Kind.PREFECTURE)
        .select_related("organisation")
        .first()
    )
    return (
        membership.organisation.name
        if membership
        else _("the Délégation for the external action of local authorities")
    )


def formats_date(value, with_time=False):
    """A date as the screens write it, in Europe/Paris: "3 mai 2026" or "3 mai 2026, 14:05"."""
    return dateformat.format(timezone.localtime(value), "j F Y, H:i" if with_time else "j F Y")
