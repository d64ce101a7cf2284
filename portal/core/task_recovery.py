"""Tasks left RUNNING by a worker that died (SIGKILL, a server lost): put back in the queue.

django-tasks-db marks a task RUNNING when a `db_worker` claims it and never looks at it again: a worker killed
in the middle leaves it RUNNING for ever, and its PDF export spins on its status page. Workers started with
`manage.py task_worker` name themselves "<host>:<pid>:<random>"; a task whose last worker names this host and
a process that no longer exists is abandoned at once. A task of another host (or of a worker named otherwise)
is abandoned once it has run longer than TASKS_ABANDONED_AFTER seconds (one hour by default: far above any
export), since its worker cannot be asked. Abandoned tasks go back to READY and run again: tasks must
therefore be idempotent (build_pdf_export is; an e-mail may at worst go twice, never be lost).
"""

import logging
import os
import secrets
import socket
from datetime import timedelta

from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from django.conf import settings
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


def host_name():
    # Worker ids hold 64 characters at most (django-tasks-db): room for the pid and the random part.
    return socket.gethostname()[:40].replace(":", "-")


def worker_id():
    return f"{host_name()}:{os.getpid()}:{secrets.token_hex(4)}"


def worker_alive(worker):
    """True or False for a worker of this host (by its process id); None when this host cannot tell."""
    host, _, rest = worker.partition(":")
    pid = rest.partition(":")[0]
    if host != host_name() or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # Somebody else's process has the number: not ours, so ours is gone.
        return False
    return True


def requeue_abandoned_tasks(now=None):
    """Puts the abandoned RUNNING tasks back to READY; returns their ids."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=getattr(settings, "TASKS_ABANDONED_AFTER", 3600))
    requeued = []
    with transaction.atomic():
        for result in DBTaskResult.objects.running().select_for_update(skip_locked=True):
            alive = worker_alive(result.worker_ids[-1]) if result.worker_ids else None
            if alive or (alive is None and result.started_at and result.started_at > stale):
                continue
            result.status = TaskResultStatus.READY
            result.started_at = None
            result.save(update_fields=["status", "started_at"])
            requeued.append(result.id)
    for task_id in requeued:
        logger.warning("Task %s was left running by a worker that is gone: queued again", task_id)
    return requeued
