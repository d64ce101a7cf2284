"""The yearly Atlas update campaign: the Délégation asks every French authority to verify its five parts.

A part is "verified for campaign N" when an agent confirmed it (atlas PartConfirmation) inside the campaign's
window: the campaign keeps no copy of the confirmations, so "Mes fiches Atlas" and the campaign can never
disagree.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from atlas.models import Authority, PartConfirmation

#: The five parts an authority verifies, in the order of "Mes fiches Atlas".
PARTS = PartConfirmation.Part


class UpdateCampaignQuerySet(models.QuerySet):
    def current(self, now=None):
        """The campaign whose window is open now (at most one: windows may not overlap)."""
        now = now or timezone.now()
        return self.filter(state=UpdateCampaign.State.OPEN, opens_at__lte=now, closes_at__gt=now)

    def closed(self, now=None):
        """Campaigns whose window is over, the latest first."""
        now = now or timezone.now()
        return self.filter(Q(state=UpdateCampaign.State.CLOSED) | Q(closes_at__lte=now)).order_by(
            "-closes_at"
        )

    def overlapping(self, opens_at, closes_at):
        return self.filter(opens_at__lt=closes_at, closes_at__gt=opens_at)


class UpdateCampaign(models.Model):
    """One year's campaign: its window (stored in UTC, typed and shown in Europe/Paris) and its message."""

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("campaign", "open")
        CLOSED = "closed", pgettext_lazy("campaign", "closed")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    message = models.TextField(_("message to the authorities"), max_length=4000)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)

    objects = UpdateCampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("update campaign")
        verbose_name_plural = _("update campaigns")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="campaign_closes_after_opening"
            )
        ]

    def __str__(self):
        return _("Atlas update campaign %(year)s") % {"year": self.year}

    def clean(self):
        if self.opens_at and self.closes_at:
            if self.closes_at <= self.opens_at:
                raise ValidationError({"closes_at": _("The campaign must close after it opens.")})
            clash = UpdateCampaign.objects.overlapping(self.opens_at, self.closes_at).exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError(
                    _("The campaign %(year)s is already running at these dates.")
                    % {"year": clash.first().year}
                )

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.state == self.State.OPEN and self.opens_at <= now < self.closes_at

    def is_closed(self, now=None):
        return self.state == self.State.CLOSED or (now or timezone.now()) >= self.closes_at

    def window_confirmations(self):
        """The part confirmations that count for this campaign: made inside its window."""
        return PartConfirmation.objects.filter(
            confirmed_at__gte=self.opens_at, confirmed_at__lt=self.closes_at
        )


class CampaignSending(models.Model):
    """One e-mail address a campaign writes to: once per campaign, whatever the number of roles it has."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    campaign = models.ForeignKey(UpdateCampaign, on_delete=models.CASCADE, related_name="sendings")
    # Stored lower-cased: "Jean@Ville.fr" and "jean@ville.fr" are one mailbox, hence one sending.
    address = models.EmailField(_("e-mail address"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    authority = models.ForeignKey(
        Authority,
        verbose_name=_("French authority"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("prefecture"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    # Set, in the same transaction as the e-mail task is queued, when the mailer takes the message over: a
    # rerun after a crash hands over only what was never handed, so nobody gets the campaign twice.
    handed_at = models.DateTimeField(_("handed to the mailer at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("campaign sending")
        verbose_name_plural = _("campaign sendings")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "address"], name="one_campaign_mail_per_address")
        ]
        indexes = [models.Index(fields=["campaign", "status", "handed_at"], name="campaign_sending_todo")]

    def __str__(self):
        return f"{self.campaign.year} – {self.address}"


class CampaignReminder(models.Model):
    """A reminder a prefecture (or the Délégation) sent to a late authority: the log of who reminded whom."""

    campaign = models.ForeignKey(UpdateCampaign, on_delete=models.CASCADE, related_name="reminders")
    authority = models.ForeignKey(
        Authority, verbose_name=_("French authority"), on_delete=models.CASCADE, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("campaign reminder")
        verbose_name_plural = _("campaign reminders")
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["authority", "-sent_at"], name="campaign_reminder_latest")]

    def __str__(self):
        return f"{self.campaign.year} – {self.authority} – {self.sent_at:%Y-%m-%d}"
