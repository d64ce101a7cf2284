"""Background work of the exports (django-tasks: run at once in development, by `db_worker` in production)."""

import logging

from django_tasks import task

from django.core.files.base import ContentFile
from django.http import QueryDict
from django.utils import timezone, translation

from ..filters import ProjectFilterSet, project_queryset
from ..models import ExportJob
from .pdf import render_projects_pdf

logger = logging.getLogger(__name__)


@task()
def build_pdf_export(job_id):
    """Renders the PDF of an export job's search and stores it; the job records progress and outcome.

    Idempotent, as a task queued again after its worker died must be (portal/core/task_recovery.py): a job
    already done is left as it is, and a file that a killed run left behind is replaced, not kept beside."""
    job = ExportJob.objects.get(pk=job_id)
    if job.status == ExportJob.Status.DONE and job.file:
        return
    jobs = ExportJob.objects.filter(pk=job.pk)
    jobs.update(status=ExportJob.Status.RUNNING, progress=5)
    try:
        with translation.override(job.language):
            # The search is run again here: the job keeps its query string, not a list of projects.
            filterset = ProjectFilterSet(QueryDict(job.query), queryset=project_queryset())
            if not filterset.is_valid():
                raise ValueError(f"Invalid filters: {filterset.form.errors.as_json()}")
            projects = list(filterset.qs)
            jobs.update(total=len(projects), progress=10)
            content = render_projects_pdf(
                projects,
                filterset.active_filters(),
                job.title,
                progress=lambda percent: jobs.update(progress=percent),
            )
        job.refresh_from_db()
        name = job.file.field.generate_filename(job, f"atlas-projets-{job.pk}.pdf")
        if job.file.storage.exists(name):
            job.file.storage.delete(name)
        job.file.save(name.rpartition("/")[2], ContentFile(content), save=False)
        job.status, job.progress, job.finished_at = ExportJob.Status.DONE, 100, timezone.now()
        job.save(update_fields=["file", "status", "progress", "finished_at"])
    except Exception as error:
        logger.exception("PDF export %s failed", job_id)
        jobs.update(status=ExportJob.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now())
        raise
