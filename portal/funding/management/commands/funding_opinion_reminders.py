"""Reminds the reviewers of the opinions soon due; run daily (cron: `manage.py funding_opinion_reminders`).

Each open request is reminded on the days instruction.REMINDER_DAYS before its due date and each day once it
has passed, never twice the same day, and at most --limit requests a run, so a late run does not flood the
mail server. Every reminder is logged."""

from django.core.management.base import BaseCommand

from portal.funding.instruction import send_reminders


class Command(BaseCommand):
    help = "Reminds the reviewers of their opinions soon due (once a day at most per opinion)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=200, help="Reminders sent at most in this run.")

    def handle(self, *args, limit, **options):
        sent = send_reminders(limit=limit)
        self.stdout.write(f"{sent} reminder(s) sent.")
