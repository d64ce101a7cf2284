"""The e-APD: each French authority's yearly declaration of its official development aid (APD).

The Délégation opens one window a year (AidWindow) for the amounts of the year before; an authority's agents
prepare a draft (AidDeclaration with its AidLines), then file it. The tables keep the "atlas" label so that
the declarations seeded before the e-APD existed stay where they were.
"""

import posixpath
import uuid

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from atlas.models import Authority, Country, Project
from portal.core.documents import DOCUMENT_KINDS, DOCUMENT_MAX_BYTES, document_kind
from portal.core.private_files import private_storage

from . import codes


def validate_document(file):
    if file.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("The document is too large (%(size)s MB): at most 10 MB."),
            code="too_large",
            params={"size": f"{file.size / 1024 / 1024:.1f}"},
        )
    if document_kind(file) is None:
        raise ValidationError(
            _("This file is not a PDF, ODT or XLSX document (its content was checked, not its name)."),
            code="bad_type",
        )


def document_path(declaration, filename):
    """An unguessable name in the private storage, with the extension of the kind found in the content."""
    extension = posixpath.splitext(filename)[1].lower().lstrip(".")
    extension = extension if extension in DOCUMENT_KINDS else "bin"
    return f"aid/{declaration.authority_id}/{declaration.year}/{uuid.uuid4().hex}.{extension}"


class AidWindow(models.Model):
    """The period in which authorities declare the aid they gave in `year` (recently 15 April – 31 May of the
    year after). Dates are stored in UTC and shown and entered in Europe/Paris (settings.TIME_ZONE)."""

    year = models.PositiveSmallIntegerField(_("year declared"), unique=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))

    class Meta:
        app_label = "atlas"
        verbose_name = _("e-APD declaration window")
        verbose_name_plural = _("e-APD declaration windows")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="aid_window_closes_after"
            )
        ]

    def __str__(self):
        return str(self.year)

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at:
            if self.closes_at <= self.opens_at:
                raise ValidationError({"closes_at": _("The window must close after it opens.")})
            overlapping = AidWindow.objects.filter(opens_at__lt=self.closes_at, closes_at__gt=self.opens_at)
            if overlapping.exclude(pk=self.pk).exists():
                raise ValidationError(_("This window overlaps another one: one window at a time."))

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    @classmethod
    def current(cls, now=None):
        """The window open now, or None."""
        now = now or timezone.now()
        return cls.objects.filter(opens_at__lte=now, closes_at__gt=now).order_by("-opens_at").first()

    @classmethod
    def next(cls, now=None):
        """The next window to open, or None."""
        now = now or timezone.now()
        return cls.objects.filter(opens_at__gt=now).order_by("opens_at").first()


class AidDeclaration(ClusterableModel):
    """One authority's declaration of development aid (APD) for one year: a draft, then filed."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        FILED = "filed", _("filed")

    authority = models.ForeignKey(
        Authority,
        verbose_name=_("French authority"),
        on_delete=models.CASCADE,
        related_name="aid_declarations",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=5, choices=Status.choices, default=Status.DRAFT)
    no_aid = models.BooleanField(
        _("no development aid this year"),
        default=False,
        help_text=_("An explicit declaration that the authority gave no development aid that year."),
    )
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Private: outside MEDIA_ROOT, served only by a view that checks who asks.
    document = models.FileField(
        _("supporting document"),
        upload_to=document_path,
        storage=private_storage,
        blank=True,
        max_length=200,
        validators=[validate_document],
        help_text=_("PDF, ODT or XLSX, at most 10 MB."),
    )
    document_name = models.CharField(_("document name"), max_length=200, blank=True, editable=False)
    # What an agent typed and the autosave kept, not yet saved as lines (nor checked): the form opens on it,
    # so that nothing typed is lost (a closed tab, an expired session); "save draft" and "file" clear it.
    draft_input = models.JSONField(_("input not yet saved"), null=True, blank=True, editable=False)
    draft_input_at = models.DateTimeField(_("input kept at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        app_label = "atlas"
        verbose_name = _("development aid declaration")
        verbose_name_plural = _("development aid declarations")
        ordering = ["authority", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "year"], name="one_aid_declaration_a_year"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(status="filed"), name="aid_declaration_status_known"
            ),
        ]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self):
        return f"{self.authority} – {self.year}"

    @property
    def is_filed(self):
        return self.status == self.Status.FILED

    def total(self):
        return sum((line.amount for line in self.lines.all()), 0)


def document_content_type(declaration):
    kind = posixpath.splitext(declaration.document.name)[1].lstrip(".")
    return DOCUMENT_KINDS.get(kind, (None, "application/octet-stream"))[1]


def marker_field(label):
    return models.PositiveSmallIntegerField(label, choices=codes.MARKER_SCORES, default=codes.NOT_TARGETED)


class AidLine(models.Model):
    """One amount of a declaration: to a country on the DAC list (or to a multilateral body's core budget),
    through a channel, for a purpose, with the OECD policy markers scored."""

    declaration = ParentalKey(AidDeclaration, on_delete=models.CASCADE, related_name="lines")
    country = models.ForeignKey(
        Country,
        verbose_name=_("recipient country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aid_lines",
    )
    channel = models.CharField(
        _("channel"), max_length=12, choices=codes.CHANNEL_CHOICES, default=codes.DIRECT
    )
    # The CRS channel code of the body: the recipient of a core contribution (no country), or the channel of
    # aid earmarked for a country.
    multilateral_body = models.CharField(
        _("multilateral body"), max_length=5, choices=codes.multilateral_choices, blank=True
    )
    purpose = models.CharField(
        _("sector (OECD purpose code)"),
        max_length=5,
        choices=codes.purpose_choices,
        default=codes.UNSPECIFIED_PURPOSE,
    )
    amount = models.DecimalField(
        _("amount (euros)"),
        max_digits=12,
        decimal_places=0,
        validators=[MinValueValidator(1)],
        help_text=_("Own resources, service costs included."),
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("Atlas project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="aid_lines",
    )
    marker_gender = marker_field(codes.MARKERS["marker_gender"][1])
    marker_environment = marker_field(codes.MARKERS["marker_environment"][1])
    marker_biodiversity = marker_field(codes.MARKERS["marker_biodiversity"][1])
    marker_climate_mitigation = marker_field(codes.MARKERS["marker_climate_mitigation"][1])
    marker_climate_adaptation = marker_field(codes.MARKERS["marker_climate_adaptation"][1])
    marker_desertification = marker_field(codes.MARKERS["marker_desertification"][1])
    marker_disaster_risk_reduction = marker_field(codes.MARKERS["marker_disaster_risk_reduction"][1])
    marker_disability = marker_field(codes.MARKERS["marker_disability"][1])

    class Meta:
        app_label = "atlas"
        verbose_name = _("aid line")
        verbose_name_plural = _("aid lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(country__isnull=False) | ~Q(multilateral_body=""), name="aid_line_has_a_recipient"
            ),
            # A body is named exactly when the aid goes through one.
            models.CheckConstraint(
                condition=(Q(channel=codes.MULTILATERAL) & ~Q(multilateral_body=""))
                | (~Q(channel=codes.MULTILATERAL) & Q(multilateral_body="")),
                name="aid_line_body_iff_multilateral",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="aid_line_amount_positive"),
        ]

    def __str__(self):
        return f"{self.recipient_name}: {self.amount} €"

    @property
    def recipient_name(self):
        return str(self.country) if self.country_id else self.get_multilateral_body_display()

    @property
    def sector(self):
        """The DAC sector (3 digits) of the line's purpose."""
        return codes.SECTOR_OF_PURPOSE.get(self.purpose, self.purpose[:3])

    @property
    def channel_code(self):
        """The CRS channel code: the body's own for aid through a multilateral body."""
        if self.channel == codes.MULTILATERAL and self.multilateral_body:
            return self.multilateral_body
        return codes.CHANNELS[self.channel][1]

    def markers(self):
        """[(CRS marker code, label, score)] in the CRS order."""
        return [(code, label, getattr(self, field)) for field, (code, label) in codes.MARKERS.items()]

    def clean(self):
        super().clean()
        errors = {}
        if self.channel == codes.MULTILATERAL and not self.multilateral_body:
            errors["multilateral_body"] = _("Choose the multilateral body the aid goes through.")
        if self.channel != codes.MULTILATERAL and self.multilateral_body:
            errors["channel"] = _("Aid to a multilateral body goes through the multilateral channel.")
        if not self.country_id and not self.multilateral_body:
            errors["country"] = _("Choose the recipient country, or the multilateral body.")
        try:
            year = self.declaration.year
        except ObjectDoesNotExist:
            year = None
        if self.country_id and year and codes.crs_recipient_code(self.country.code, year) is None:
            errors["country"] = _("This country is not on the OECD DAC list of ODA recipients for %(year)s.")
            errors["country"] %= {"year": year}
        if errors:
            raise ValidationError(errors)


class AidHistory(models.Model):
    """Who did what to a declaration, and when: saved a draft, filed it, corrected it (with the reason)."""

    class Action(models.TextChoices):
        SAVED = "saved", _("draft saved")
        FILED = "filed", _("filed")
        CORRECTED = "corrected", _("corrected by the Délégation")
        DOCUMENT = "document", _("supporting document attached")

    declaration = models.ForeignKey(AidDeclaration, on_delete=models.CASCADE, related_name="history")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        app_label = "atlas"
        verbose_name = _("e-APD history entry")
        verbose_name_plural = _("e-APD history")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.declaration} – {self.get_action_display()} – {self.at:%Y-%m-%d %H:%M}"
