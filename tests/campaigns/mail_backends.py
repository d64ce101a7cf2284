"""A mail backend that bounces: Django's locmem backend refusing the addresses that contain "bounce", as a
mail server refuses an unknown mailbox."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class BouncingBackend(EmailBackend):
    def send_messages(self, messages):
        for message in messages:
            refused = [address for address in message.to if "bounce" in address]
            if refused:
                raise smtplib.SMTPRecipientsRefused(dict.fromkeys(refused, (550, b"5.1.1 No such mailbox")))
        return super().send_messages(messages)
