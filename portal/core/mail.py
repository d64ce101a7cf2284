"""The one way the portal sends e-mail.

`send_mail_template` renders a plain-text template pair (<prefix>_subject.txt and <prefix>.txt) in each
recipient's language, in the request, and hands the rendered strings to a django-tasks task that talks to the
mail server: a slow or unreachable server never slows a page (the database queue in production). A failed
sending is tried again later when the task backend can defer tasks, and is logged with its recipient and
template either way."""

import logging
from datetime import timedelta

from django_tasks import task

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

# Attempts of one message, and the wait before each new attempt (a mail server down for maintenance usually
# comes back within the hour).
MAX_ATTEMPTS = 4
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=10), timedelta(hours=1))


def recipient_language(recipient):
    """The language a recipient reads: a user's preferred language when the model has one, else the site's."""
    for attribute in ("language", "preferred_language"):
        language = getattr(recipient, attribute, None)
        if isinstance(language, str) and language:
            return language
    return settings.LANGUAGE_CODE


def recipient_address(recipient):
    return recipient if isinstance(recipient, str) else getattr(recipient, "email", "")


def render_mail(template_prefix, context, language=None):
    """(subject, body) of a template pair in `language` (the site's by default); the subject on one line."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template_prefix}_subject.txt", context)
        body = render_to_string(f"{template_prefix}.txt", context)
    return " ".join(subject.split()), body


def send_mail_template(template_prefix, context, to, language=None, reply_to=None):
    """E-mails the template pair <template_prefix>_subject.txt / <template_prefix>.txt to each recipient.

    `to` is one recipient or a list of them, each a user (its e-mail address and preferred language are used)
    or an address (the site's language). Each recipient gets their own message, so that no one sees the
    others' addresses. `language` forces a language for every recipient. The templates are rendered here,
    where the context's model instances are at hand; the task only gets strings. Returns the number of
    messages queued."""
    recipients = [to] if isinstance(to, str) or not hasattr(to, "__iter__") else list(to)
    reply_to = [reply_to] if isinstance(reply_to, str) else list(reply_to or [])
    rendered = {}
    queued = 0
    seen = set()
    for recipient in recipients:
        address = recipient_address(recipient)
        if not address or address.lower() in seen:
            continue
        seen.add(address.lower())
        recipient_lang = language or recipient_language(recipient)
        if recipient_lang not in rendered:
            rendered[recipient_lang] = render_mail(template_prefix, context, recipient_lang)
        subject, body = rendered[recipient_lang]
        deliver_mail.enqueue(
            subject=subject, body=body, to=address, reply_to=reply_to, template=template_prefix
        )
        queued += 1
    return queued


@task()
def deliver_mail(subject, body, to, reply_to=(), template="", attempt=1):
    """Sends one rendered message; on failure, queues a new attempt later (when the backend can defer)."""
    message = EmailMessage(subject, body, None, [to], reply_to=list(reply_to) or None)
    try:
        message.send()
    except Exception:
        backend = deliver_mail.get_backend()
        if attempt < MAX_ATTEMPTS and backend.supports_defer:
            logger.warning(
                "E-mail %s to %s failed (attempt %d of %d); trying again later.",
                template,
                to,
                attempt,
                MAX_ATTEMPTS,
                exc_info=True,
            )
            deliver_mail.using(run_after=timezone.now() + RETRY_DELAYS[attempt - 1]).enqueue(
                subject=subject,
                body=body,
                to=to,
                reply_to=list(reply_to),
                template=template,
                attempt=attempt + 1,
            )
            return False
        logger.exception("E-mail %s to %s could not be sent (attempt %d); giving up.", template, to, attempt)
        raise
    return True
