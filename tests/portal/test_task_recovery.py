"""A worker killed during a PDF export (issue 14): the task it left RUNNING is queued again and finishes,
once, with one file. django-tasks-db's own worker runs it (db_worker through manage.py task_worker)."""

import subprocess
from datetime import timedelta

import pytest
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from atlas.exports.tasks import build_pdf_export
from atlas.models.exports import ExportJob
from portal.core.task_recovery import host_name, requeue_abandoned_tasks, worker_id

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


def dead_worker():
    """The id a worker of this host had, whose process has ended."""
    process = subprocess.Popen(["true"])  # noqa: S607
    process.wait()
    return f"{host_name()}:{process.pid}:0000"


@pytest.fixture
def queued_export(settings):
    settings.TASKS = DATABASE_QUEUE
    job = ExportJob.objects.create(title="Atlas", query="")
    build_pdf_export.enqueue(job_id=str(job.pk))
    return job, DBTaskResult.objects.get()


def claim(result, worker, started_at=None):
    result.claim(worker)
    if started_at:
        DBTaskResult.objects.filter(pk=result.pk).update(started_at=started_at)
    # What a killed run leaves: the job marked running, half done.
    ExportJob.objects.update(status=ExportJob.Status.RUNNING, progress=10)


def test_an_export_left_running_by_a_killed_worker_is_picked_up_again_and_finishes(queued_export):
    job, result = queued_export
    claim(result, dead_worker())
    # The killed run had already written the file, not yet recorded it.
    job.file.storage.save(f"exports/atlas-projets-{job.pk}.pdf", ContentFile(b"%PDF half"))

    call_command("task_worker", batch=True, startup_delay=False, verbosity=0)

    result.refresh_from_db()
    job.refresh_from_db()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert job.status == ExportJob.Status.DONE
    assert job.file.name == f"exports/atlas-projets-{job.pk}.pdf"
    assert job.file.read().startswith(b"%PDF-")
    assert not job.file.storage.exists(f"exports/atlas-projets-{job.pk}_{job.pk}.pdf")
    files = job.file.storage.listdir("exports")[1]
    assert [name for name in files if name.startswith(f"atlas-projets-{job.pk}")] == [job.file.name[8:]]


def test_a_running_worker_keeps_its_task(queued_export):
    _job, result = queued_export
    claim(result, worker_id())  # this process: alive
    assert requeue_abandoned_tasks() == []
    result.refresh_from_db()
    assert result.status == TaskResultStatus.RUNNING


def test_another_hosts_task_is_requeued_only_after_an_hour(queued_export):
    _job, result = queued_export
    claim(result, "elsewhere:123:abcd", started_at=timezone.now() - timedelta(minutes=10))
    assert requeue_abandoned_tasks() == []
    DBTaskResult.objects.filter(pk=result.pk).update(started_at=timezone.now() - timedelta(hours=2))
    assert requeue_abandoned_tasks() == [result.pk]
    result.refresh_from_db()
    assert result.status == TaskResultStatus.READY


def test_a_finished_export_run_again_is_left_as_it_is(queued_export, settings):
    job, _result = queued_export
    build_pdf_export.call(job_id=str(job.pk))
    job.refresh_from_db()
    finished_at, name = job.finished_at, job.file.name
    build_pdf_export.call(job_id=str(job.pk))
    job.refresh_from_db()
    assert (job.finished_at, job.file.name) == (finished_at, name)
