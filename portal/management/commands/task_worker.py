"""`manage.py task_worker`: django-tasks-db's db_worker that first queues again what dead workers left
RUNNING, and keeps doing so every TASKS_REQUEUE_INTERVAL seconds (portal/core/task_recovery.py)."""

import logging
import threading

from django_tasks_db.management.commands import db_worker

from django.conf import settings
from django.db import connection

from portal.core.task_recovery import requeue_abandoned_tasks, worker_id

logger = logging.getLogger(__name__)


def requeue_periodically(stop, interval):
    while not stop.wait(interval):
        try:
            requeue_abandoned_tasks()
        except Exception:  # The database away for a moment: try again at the next round.
            logger.exception("Could not look for abandoned tasks")
        finally:
            # This thread's own connection: closed each round, so that a PostgreSQL restart costs nothing.
            connection.close()


class Command(db_worker.Command):
    help = "Runs django-tasks-db's worker after queueing again the tasks that dead workers left running."

    def handle(self, *args, **options):
        # The id tells later workers of this host whether this process still lives (task_recovery.py).
        options["worker_id"] = worker_id()
        requeue_abandoned_tasks()
        stop = threading.Event()
        interval = getattr(settings, "TASKS_REQUEUE_INTERVAL", 60)
        threading.Thread(target=requeue_periodically, args=(stop, interval), daemon=True).start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
