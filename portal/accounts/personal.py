"""A member's personal space: saved Atlas maps sorted into albums, kept PDF exports and their e-mailings."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.subpages import live_page_of, subpage_url


def atlas_search_url(query):
    """The Atlas advanced search with this query string (the home page when no Atlas page is live)."""
    url = subpage_url(live_page_of("atlas.AtlasPage"), "search") or "/"
    return f"{url}?{query}" if query else url


class Album(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="map_albums")
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("album")
        verbose_name_plural = _("albums")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class SavedMap(models.Model):
    """An Atlas search kept by a member: its filters (the query string) and, if given, the map's view."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_maps")
    title = models.CharField(_("title"), max_length=200)
    query = models.TextField(_("search filters"), blank=True, max_length=2000)
    latitude = models.FloatField(_("latitude of the centre"), null=True, blank=True)
    longitude = models.FloatField(_("longitude of the centre"), null=True, blank=True)
    zoom = models.PositiveSmallIntegerField(_("zoom"), null=True, blank=True)
    album = models.ForeignKey(
        Album, verbose_name=_("album"), null=True, blank=True, on_delete=models.SET_NULL, related_name="maps"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("saved map")
        verbose_name_plural = _("saved maps")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title

    @property
    def search_url(self):
        return atlas_search_url(self.query)


class SavedExport(models.Model):
    """A PDF export kept by a member; the file stays with its job, served only through checked views."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_exports"
    )
    job = models.ForeignKey(
        "atlas.ExportJob", verbose_name=_("export"), on_delete=models.CASCADE, related_name="saved_copies"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("saved export")
        verbose_name_plural = _("saved exports")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["owner", "job"], name="one_saved_export_per_job")]

    def __str__(self):
        return self.job.title

    @property
    def search_url(self):
        return atlas_search_url(self.job.query)


class ExportMailing(models.Model):
    """One e-mail of a link to a saved export: the log that the daily limit counts."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_mailings"
    )
    # Kept when the saved export is deleted, so that deleting it does not reset the daily limit.
    saved_export = models.ForeignKey(
        SavedExport, null=True, blank=True, on_delete=models.SET_NULL, related_name="mailings"
    )
    recipient = models.EmailField(_("recipient"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("export sent by e-mail")
        verbose_name_plural = _("exports sent by e-mail")
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.owner} → {self.recipient}"
