from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from atlas.bourse.matching import due_alerts
from atlas.bourse.tasks import send_bourse_alert


class Command(BaseCommand):
    help = _(
        "Queues the daily e-mail of every Bourse alert not sent in the last 24 hours (run it once a day)."
    )

    def handle(self, *args, **options):
        count = 0
        for alert_id in due_alerts().values_list("pk", flat=True).iterator():
            send_bourse_alert.enqueue(alert_id)
            count += 1
        self.stdout.write(_("%(count)d Bourse alerts queued.") % {"count": count})
