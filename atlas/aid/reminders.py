"""Reminders to declare development aid: e-mails to an authority's approved agents, at most one per authority
every 7 days, each one logged in Wagtail's audit log (the authority's history, and the national views).

The rate limit holds across processes: the authority's row is locked while its last reminder is read and the
new one logged, so two clicks (or a click and the bulk task) cannot both send.
"""

import logging

from django_tasks import task

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.log_actions import log

from atlas.models import Authority
from portal.accounts.models import Membership
from portal.core.links import absolute
from portal.core.mail import send_mail_template

from .models import AidDeclaration, AidWindow
from .national import (
    FILED,
    REMINDER_ACTION,
    declarers,
    last_reminders,
    national_access,
    reminded_recently,
)

logger = logging.getLogger(__name__)
MAIL_TEMPLATE = "aid/national/mail/reminder"
# The authority agents' declaration page (atlas/aid/wagtail_hooks.py).
DECLARATION_URL_NAME = "aid_declarations"


class ReminderRefused(Exception):
    """A reminder that may not be sent; the message says why, in the user's language."""


def agents_of(authority):
    User = get_user_model()
    return list(
        User.objects.filter(
            is_active=True,
            memberships__in=Membership.objects.approved().filter(organisation__authority=authority),
        )
        .exclude(email="")
        .distinct()
    )


def remind(authority, year, user, access):
    """E-mails the reminder for `year` to the authority's approved agents; returns the number of messages.
    Raises ReminderRefused when the user may not remind this authority, when it has filed, has no agent or
    was reminded less than 7 days ago: then nothing is sent nor logged."""
    if access is None or not access.may_remind or not access.admits(authority):
        raise ReminderRefused(_("You may not remind this authority."))
    with transaction.atomic():
        # The lock serialises the reminders of one authority: the check and the log entry are one step.
        authority = Authority.objects.select_for_update().get(pk=authority.pk)
        if AidDeclaration.objects.filter(authority=authority, year=year, status=FILED).exists():
            raise ReminderRefused(_("%(name)s has already filed its declaration.") % {"name": authority.name})
        last = last_reminders([authority.pk]).get(authority.pk)
        if reminded_recently(last):
            raise ReminderRefused(
                _("%(name)s was already reminded on %(date)s: one reminder a week at most.")
                % {"name": authority.name, "date": timezone.localtime(last).strftime("%d/%m/%Y %H:%M")}
            )
        agents = agents_of(authority)
        if not agents:
            raise ReminderRefused(_("%(name)s has no agent to remind yet.") % {"name": authority.name})
        window = AidWindow.objects.filter(year=year).first()
        context = {
            "authority": authority,
            "year": year,
            "window": window,
            "form_url": absolute(declaration_form_path()),
        }
        sent = send_mail_template(MAIL_TEMPLATE, context, agents)
        log(
            instance=authority,
            action=REMINDER_ACTION,
            user=user,
            data={"year": year, "recipients": sent},
        )
    return sent


def declaration_form_path():
    """Where an agent declares: the e-APD page of the admin (atlas/aid/wagtail_hooks.py)."""
    return reverse(DECLARATION_URL_NAME)


def late_authorities(access, year):
    """The authorities of the territory that have not filed for `year`, have agents and were not reminded
    within the week: the ones "remind all late" writes to."""
    candidates = declarers(access, year).filter(has_filed=False, agents__gt=0)
    ids = list(candidates.values_list("pk", flat=True))
    recent = {pk for pk, last in last_reminders(ids).items() if reminded_recently(last)}
    return [pk for pk in ids if pk not in recent]


@task()
def remind_all_late(user_id, year):
    """Reminds every late authority the user may remind for `year` (the user's access is read again here,
    so a right withdrawn meanwhile stops the task). Returns the number of authorities reminded."""
    user = get_user_model().objects.get(pk=user_id)
    access = national_access(user)
    if access is None or not access.may_remind:
        logger.warning("Aid reminders for %s not sent: user %s may no longer remind.", year, user_id)
        return 0
    reminded = 0
    for authority in Authority.objects.filter(pk__in=late_authorities(access, year)).order_by("pk"):
        try:
            remind(authority, year, user, access)
        except ReminderRefused as refusal:
            # Filed or reminded meanwhile: nothing to do for this one.
            logger.info("Aid reminder to %s skipped: %s", authority.pk, refusal)
            continue
        reminded += 1
    logger.info("Aid reminders for %s: %d authorities reminded by user %s.", year, reminded, user_id)
    return reminded
