"""Co-financing calls for projects: the calls, their editorial pages, and the dossiers authorities file.

A dossier (`Application`) belongs to the authority's organisation, never to one agent: every approved agent of
that organisation edits it, and its state moves only through portal/funding/workflow.py, which logs each move
as an `ApplicationEvent`. Amounts are in euros; shares of a call are percentages of the dossier's total budget
(its expenses)."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, RevisionMixin
from wagtail.search import index

from portal.core.collation import FRENCH
from portal.core.pages import IntroBodyMixin
from portal.core.private_files import private_storage

PERCENT_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def percent_field(verbose_name, default, help_text=""):
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        default=Decimal(default),
        validators=PERCENT_VALIDATORS,
        help_text=help_text,
    )


class DocumentKind(models.TextChoices):
    """What an attachment is; a call lists the kinds a dossier must hold before it is filed."""

    DELIBERATION = "deliberation", _("council deliberation")
    DETAILED_BUDGET = "detailed_budget", _("detailed budget")
    PARTNERSHIP_AGREEMENT = "partnership_agreement", _("partnership agreement")
    OTHER = "other", _("other document")


class CallQuerySet(models.QuerySet):
    def open(self, now=None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)

    def upcoming(self, now=None):
        return self.filter(opens_at__gt=now or timezone.now())

    def closed(self, now=None):
        return self.filter(closes_at__lte=now or timezone.now())


class Call(models.Model):
    """A call for projects: who may apply, when, and the budget rules a dossier must meet."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("annual call")
        TRIENNIAL = "triennial", _("triennial call")
        THEMATIC = "thematic", _("thematic call")
        JOINT_FUND = "joint_fund", _("joint fund with a partner country")
        TURNKEY = "turnkey", _("turnkey programme (association of at least three authorities)")

    # A turnkey programme is run by an association of at least this many French authorities.
    TURNKEY_MIN_AUTHORITIES = 3

    title = models.CharField(_("title"), max_length=255, db_collation=FRENCH)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ANNUAL)
    eligible_countries = models.ManyToManyField(
        "atlas.Country",
        verbose_name=_("eligible countries"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty when every country is eligible."),
    )
    eligible_themes = models.ManyToManyField(
        "atlas.Theme",
        verbose_name=_("eligible themes"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty when every theme is eligible."),
    )
    opens_at = models.DateTimeField(_("opens at"), help_text=_("Paris time."))
    closes_at = models.DateTimeField(_("closes at"), help_text=_("Paris time."))
    max_requested_share = percent_field(
        _("maximum share funded by the Ministry (%)"),
        "50",
        _("The amount requested may not exceed this share of the dossier's total budget."),
    )
    min_own_share = percent_field(
        _("minimum own share of the authority (%)"),
        "10",
        _("Own funds and in-kind contributions together must reach this share of the total budget."),
    )
    max_in_kind_share = percent_field(
        _("maximum in-kind part of the own share (%)"),
        "50",
        _("In-kind contributions may count for at most this share of the authority's own share."),
    )
    required_documents = models.JSONField(
        _("required documents"),
        default=list,
        blank=True,
        help_text=_("The documents a dossier must hold before it can be filed."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call for projects")
        verbose_name_plural = _("calls for projects")
        ordering = ["-opens_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_it_opens"
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def is_upcoming(self, now=None):
        return (now or timezone.now()) < self.opens_at

    @property
    def status_label(self):
        if self.is_upcoming():
            return _("upcoming")
        return _("open") if self.is_open() else _("closed")

    def required_document_labels(self):
        labels = dict(DocumentKind.choices)
        return [labels[kind] for kind in self.required_documents if kind in labels]


class CallIndexPage(IntroBodyMixin, Page):
    """ "Appels à projets": the open, upcoming and closed calls, each with its editorial page beneath."""

    # One per home, so one per locale (Wagtail's i18n: one page tree per language).
    max_count_per_parent = 1
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["funding.CallPage"]

    class Meta:
        verbose_name = _("calls for projects index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        pages = list(
            CallPage.objects.child_of(self).live().select_related("call").order_by("call__closes_at")
        )
        open_calls = [p for p in pages if p.call.is_open(now)]
        upcoming = sorted((p for p in pages if p.call.is_upcoming(now)), key=lambda p: p.call.opens_at)
        closed = sorted(
            (p for p in pages if p.call.closes_at <= now), key=lambda p: p.call.closes_at, reverse=True
        )
        context["sections"] = [
            (_("Open calls"), open_calls, _("No call is open at the moment.")),
            (_("Upcoming calls"), upcoming, _("No call is announced yet.")),
            (_("Closed calls"), closed, _("No call has closed yet.")),
        ]
        return context


class CallPage(Page):
    """The editorial page of one call: its text, its dates and rules (read from the call), and the way to
    apply while it is open."""

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="pages")
    intro = models.TextField(_("introduction"), blank=True)
    body = RichTextField(_("text"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("call"), FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["funding.CallIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("call for projects page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        context["is_open"] = self.call.is_open(now)
        context["is_upcoming"] = self.call.is_upcoming(now)
        context["countries"] = [str(country) for country in self.call.eligible_countries.all()]
        context["themes"] = [str(theme) for theme in self.call.eligible_themes.all()]
        # The admin's start page, the call chosen; a visitor who is not logged in is asked to first.
        context["apply_url"] = reverse("funding_start") + f"?call={self.call_id}"
        return context


class ApplicationQuerySet(models.QuerySet):
    def of_organisations(self, organisation_ids):
        return self.filter(organisation_id__in=organisation_ids)


class Application(RevisionMixin, ClusterableModel):
    """A dossier: one organisation's application to one call."""

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("dossier", "draft")
        FILED = "filed", pgettext_lazy("dossier", "filed")
        UNDER_INSTRUCTION = "under_instruction", _("under instruction")
        CORRECTION_REQUESTED = "correction_requested", _("correction requested")
        ACCEPTED = "accepted", pgettext_lazy("dossier", "accepted")
        REFUSED = "refused", pgettext_lazy("dossier", "refused")
        WITHDRAWN = "withdrawn", pgettext_lazy("dossier", "withdrawn")
        REPORTING = "reporting", _("reporting")
        CLOSED = "closed", pgettext_lazy("dossier", "closed")

    # The states in which the applicant organisation edits its dossier.
    EDITABLE_STATES = (State.DRAFT, State.CORRECTION_REQUESTED)

    call = models.ForeignKey(
        Call, verbose_name=_("call for projects"), on_delete=models.PROTECT, related_name="applications"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="funding_applications",
    )
    lead_authority = models.ForeignKey(
        "atlas.Authority", verbose_name=_("lead authority"), on_delete=models.PROTECT, related_name="+"
    )
    # Read as plain relations (application.foreign_partners.all()); edited as the ordered lines below
    # (french_partner_lines, foreign_partner_lines), which the admin's multiple choosers fill in.
    french_partners = models.ManyToManyField(
        "atlas.Authority",
        verbose_name=_("French partner authorities"),
        through="FrenchPartner",
        blank=True,
        related_name="+",
    )
    foreign_partners = models.ManyToManyField(
        "atlas.PartnerAuthority",
        verbose_name=_("foreign partner authorities"),
        through="ForeignPartner",
        blank=True,
        related_name="+",
    )
    country = models.ForeignKey(
        "atlas.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    themes = ParentalManyToManyField("atlas.Theme", verbose_name=_("themes"), blank=True, related_name="+")
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True, max_length=2000)
    objectives = models.TextField(_("objectives"), blank=True, max_length=10000)
    activities = models.TextField(_("activities"), blank=True, max_length=10000)
    duration_years = models.PositiveSmallIntegerField(
        _("duration (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text=_("From one to three years."),
    )
    state = models.CharField(_("state"), max_length=30, choices=State.choices, default=State.DRAFT)
    amount_granted = models.DecimalField(
        _("amount granted (euros)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    correction_request = models.TextField(_("correction requested"), blank=True)
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    receipt = models.FileField(
        _("filing receipt"),
        storage=private_storage,
        upload_to="funding/receipts/",
        blank=True,
        editable=False,
    )
    duplicated_from = models.ForeignKey(
        "self",
        verbose_name=_("duplicated from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["call", "state"]), models.Index(fields=["organisation", "state"])]

    def __str__(self):
        return self.title

    @property
    def reference(self):
        """The number the applicant quotes: call year and dossier number."""
        return f"AAP-{self.call.year}-{self.pk:05d}" if self.pk else ""

    @property
    def is_editable_by_applicant(self):
        return self.state in self.EDITABLE_STATES

    def budget_totals(self):
        """The totals of the budget table, computed the same way as the page's script does."""
        return BudgetTotals.of(self.budget_lines.all())


class FrenchPartner(Orderable):
    """A French authority taking part in the dossier besides the lead authority."""

    application = ParentalKey(Application, on_delete=models.CASCADE, related_name="french_partner_lines")
    authority = models.ForeignKey(
        "atlas.Authority", verbose_name=_("French authority"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta(Orderable.Meta):
        verbose_name = _("French partner authority")
        verbose_name_plural = _("French partner authorities")
        constraints = [
            models.UniqueConstraint(fields=["application", "authority"], name="funding_french_partner_once")
        ]

    def __str__(self):
        return str(self.authority)


class ForeignPartner(Orderable):
    """A foreign local authority of the Atlas the dossier works with."""

    application = ParentalKey(Application, on_delete=models.CASCADE, related_name="foreign_partner_lines")
    partner = models.ForeignKey(
        "atlas.PartnerAuthority",
        verbose_name=_("partner authority"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta(Orderable.Meta):
        verbose_name = _("foreign partner authority")
        verbose_name_plural = _("foreign partner authorities")
        constraints = [
            models.UniqueConstraint(fields=["application", "partner"], name="funding_foreign_partner_once")
        ]

    def __str__(self):
        return str(self.partner)


class BudgetLine(Orderable):
    """One line of a dossier's budget: an expense by category, or a resource."""

    EXPENSE_CATEGORIES = (
        ("staff", _("staff")),
        ("travel", _("travel and missions")),
        ("equipment", _("equipment and works")),
        ("services", _("services and studies")),
        ("communication", _("communication and events")),
        ("other_expense", _("other expenses")),
    )
    RESOURCE_CATEGORIES = (
        ("requested", _("co-financing requested from the Ministry")),
        ("own_funds", _("own funds")),
        ("in_kind", _("in-kind contribution")),
        ("other_funder", _("other funder")),
    )
    CATEGORY_CHOICES = ((_("Expenses"), EXPENSE_CATEGORIES), (_("Resources"), RESOURCE_CATEGORIES))

    application = ParentalKey(Application, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(_("category"), max_length=20, choices=CATEGORY_CHOICES)
    label = models.CharField(_("description"), max_length=255, blank=True)
    amount = models.DecimalField(
        _("amount (euros)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )

    class Meta(Orderable.Meta):
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self):
        return f"{self.get_category_display()} – {self.amount}"

    @property
    def is_expense(self):
        return self.category in dict(self.EXPENSE_CATEGORIES)


class BudgetTotals:
    """Total expenses (the budget), total resources, and each resource category with its share."""

    def __init__(self, expenses, resources, by_category):
        self.expenses = expenses
        self.resources = resources
        self.by_category = by_category
        self.requested = by_category.get("requested", Decimal(0))
        self.own_funds = by_category.get("own_funds", Decimal(0))
        self.in_kind = by_category.get("in_kind", Decimal(0))
        self.other_funders = by_category.get("other_funder", Decimal(0))
        self.own_share = self.own_funds + self.in_kind

    @classmethod
    def of(cls, lines):
        expense_categories = dict(BudgetLine.EXPENSE_CATEGORIES)
        expenses = resources = Decimal(0)
        by_category = {}
        for line in lines:
            amount = line.amount or Decimal(0)
            by_category[line.category] = by_category.get(line.category, Decimal(0)) + amount
            if line.category in expense_categories:
                expenses += amount
            else:
                resources += amount
        return cls(expenses, resources, by_category)

    def share(self, amount):
        """`amount` as a percentage of the budget (None without a budget)."""
        if not self.expenses:
            return None
        return (amount * 100 / self.expenses).quantize(Decimal("0.01"))

    @property
    def balanced(self):
        return self.expenses == self.resources


def attachment_path(instance, filename):
    # A random name: the original one is kept in the database and given back on download only.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"funding/attachments/{uuid.uuid4().hex}.{extension[:10]}"


class Attachment(models.Model):
    """A document of a dossier, kept in the private storage and served only after a permission check."""

    application = models.ForeignKey(
        Application, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    file = models.FileField(_("file"), storage=private_storage, upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["kind", "uploaded_at"]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.original_name}"


class ApplicationEvent(models.Model):
    """One step of a dossier's history: who moved it from which state to which, when and why."""

    application = models.ForeignKey(
        Application, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="events"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    from_state = models.CharField(_("from"), max_length=30, choices=Application.State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=30, choices=Application.State.choices)
    motivation = models.TextField(_("motivation"), blank=True)
    visible_to_applicant = models.BooleanField(_("visible to the applicant"), default=True)

    class Meta:
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.application} : {self.from_state} → {self.to_state}"


from .instruction_models import *  # noqa: E402, F403 - the instruction's models, in this app
