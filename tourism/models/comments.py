"""Members' comments on experiences, and the reports that hide a comment until a moderator looks at it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExperienceCommentQuerySet(models.QuerySet):
    def shown(self):
        return self.filter(status=ExperienceComment.Status.VISIBLE)

    def awaiting_moderator(self):
        """Hidden by reports and not yet seen, or visible but reported since the moderator's last look."""
        return self.filter(
            models.Q(status=ExperienceComment.Status.REPORTED)
            | models.Q(
                status=ExperienceComment.Status.VISIBLE, reports__created_at__gt=models.F("reviewed_at")
            )
            | models.Q(
                status=ExperienceComment.Status.VISIBLE, reviewed_at__isnull=True, reports__isnull=False
            )
        ).distinct()


class ExperienceComment(models.Model):
    class Status(models.TextChoices):
        VISIBLE = "visible", _("visible")
        REPORTED = "reported", _("hidden after reports, awaiting the moderator")
        HIDDEN = "hidden", _("hidden by the moderator")

    experience = models.ForeignKey(
        "tourism.ExperiencePage",
        verbose_name=_("experience"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.CASCADE,
        related_name="tourism_comments",
    )
    body = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VISIBLE)
    # Set when a moderator hides or restores: a restored comment is not hidden again by the same reports.
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ExperienceCommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.author} — {self.experience.title}"


class CommentReport(models.Model):
    comment = models.ForeignKey(
        ExperienceComment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="tourism_one_report_per_member")
        ]

    def __str__(self):
        return f"{self.reporter} → {self.comment_id}"
