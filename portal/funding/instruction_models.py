"""The instruction of a dossier once filed: the opinions asked of State actors, the committee's decision, the
yearly payments (tranches) and the reports that release them.

Imported at the end of models.py, so that these models belong to the "funding" app and its migrations."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.private_files import private_storage

__all__ = ["FINAL_SHARE", "Decision", "OpinionRequest", "Report", "Tranche"]

# Share of the grant kept until the final report is approved.
FINAL_SHARE = 20


class OpinionRequest(models.Model):
    """The Délégation asks one reviewer organisation (embassy, prefecture, ministry, operator) for its opinion
    on one dossier, by a due date; the embassy and the prefecture are asked automatically."""

    class Verdict(models.TextChoices):
        FAVOURABLE = "favourable", _("favourable")
        RESERVED = "reserved", _("reserved")
        UNFAVOURABLE = "unfavourable", _("unfavourable")

    application = models.ForeignKey(
        "funding.Application",
        verbose_name=_("dossier"),
        on_delete=models.CASCADE,
        related_name="opinion_requests",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="funding_opinion_requests",
    )
    automatic = models.BooleanField(_("requested automatically"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    due_on = models.DateField(_("due date"))
    # Reminders sent before the due date (the daily command sends at most one a day).
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    # The opinion, once given.
    verdict = models.CharField(_("opinion"), max_length=12, choices=Verdict.choices, blank=True)
    comment = models.TextField(_("comment"), max_length=5000, blank=True)
    file = models.FileField(
        _("file"), upload_to="funding/opinions/", blank=True, storage=private_storage, max_length=200
    )
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    given_at = models.DateTimeField(_("given at"), null=True, blank=True)
    released_to_applicant = models.BooleanField(_("released to the applicant"), default=False)

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "organisation"], name="funding_one_opinion_per_reviewer"
            ),
            # An opinion given has its verdict, its author's time; one not given cannot be released.
            models.CheckConstraint(
                condition=Q(verdict="", given_at__isnull=True, released_to_applicant=False)
                | (~Q(verdict="") & Q(given_at__isnull=False)),
                name="funding_opinion_given_consistently",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "given_at"])]

    def __str__(self):
        return f"{self.organisation} – {self.application_id}"

    @property
    def is_given(self):
        return bool(self.verdict)


class Decision(models.Model):
    """The committee's decision on a dossier: accepted with an amount, or refused; with its motivation."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        REFUSED = "refused", _("refused")

    application = models.OneToOneField(
        "funding.Application", verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    amount = models.DecimalField(
        _("amount granted (euros)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    motivation = models.TextField(_("motivation"), max_length=5000)
    committee_date = models.DateField(_("date of the committee"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    # The Atlas project sheet the accepted dossier became (instruction.atlas_project_for).
    project = models.ForeignKey(
        "atlas.Project",
        verbose_name=_("Atlas project sheet"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=(Q(outcome="accepted") & Q(amount__gt=0))
                | (Q(outcome="refused") & Q(amount__isnull=True)),
                name="funding_decision_amount_when_accepted",
            ),
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} – {self.application_id}"


class Report(models.Model):
    """A report of the authority on its grant: one interim report a year, then the final report."""

    class Kind(models.TextChoices):
        INTERIM = "interim", _("interim report")
        FINAL = "final", _("final report")

    application = models.ForeignKey(
        "funding.Application", verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="reports"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    # The year of the project the report covers (1, 2, 3); the final report covers the whole project.
    year = models.PositiveSmallIntegerField(_("year of the project"), default=1)
    summary = models.TextField(_("summary of what was done"), max_length=5000)
    file = models.FileField(
        _("report"), upload_to="funding/reports/", storage=private_storage, max_length=200
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind", "year"], name="funding_one_report_per_kind_and_year"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.application_id}"


class Tranche(models.Model):
    """One payment of a grant. The first is paid on the decision, each next one when the interim report of the
    year before is approved, the last (FINAL_SHARE % of the grant) when the final report is approved."""

    application = models.ForeignKey(
        "funding.Application", verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="tranches"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    amount = models.DecimalField(_("amount (euros)"), max_digits=12, decimal_places=0)
    # What releases it: nothing (the decision), the interim report of that year, or the final report.
    released_by_kind = models.CharField(max_length=8, choices=Report.Kind.choices, blank=True)
    released_by_year = models.PositiveSmallIntegerField(null=True, blank=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="funding_one_tranche_per_number"),
        ]

    def __str__(self):
        return f"{self.number} – {self.application_id}"
