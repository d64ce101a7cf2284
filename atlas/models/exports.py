"""Exports too large to build within a request: built by a background task, downloaded later."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.private_files import private_storage


class ExportJob(models.Model):
    """A PDF export of an Atlas search. Its file is private: served only by views that check who asks (the
    job's owner once it has one; whoever holds the unguessable uuid of an ownerless job)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    query = models.TextField(_("query string"), blank=True)
    title = models.CharField(_("title"), max_length=255)
    language = models.CharField(_("language"), max_length=10, default="fr")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    total = models.PositiveIntegerField(_("number of projects"), default=0)
    # In the private storage, outside MEDIA_ROOT: no address of the web server reaches the file.
    file = models.FileField(_("file"), upload_to="exports/", blank=True, storage=private_storage)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="export_jobs",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_done(self):
        return self.status == self.Status.DONE

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)
