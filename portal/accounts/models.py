"""Organisations and the memberships that give their agents a role on the portal."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.collation import FRENCH
from portal.core.territories import DEPARTEMENT_CHOICES, REGION_CHOICES


class Organisation(models.Model):
    class Kind(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", _("local authority")
        EMBASSY = "embassy", _("embassy")
        PREFECTURE = "prefecture", _("prefecture")
        MINISTRY = "ministry", _("ministry")
        OPERATOR = "operator", _("operator")
        NATIONAL_ASSOCIATION = "national_association", _("national association of elected officials")
        INTERNATIONAL_ASSOCIATION = (
            "international_association",
            _("international association of elected officials"),
        )
        REGIONAL_NETWORK = "regional_network", _("regional network")
        NGO = "ngo", _("NGO")
        COMPANY = "company", _("company")

    name = models.CharField(_("name"), max_length=200, unique=True, db_collation=FRENCH)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    # What the organisation answers for: its Authority, its countries (embassy), its territory (prefecture).
    authority = models.OneToOneField(
        "atlas.Authority",
        verbose_name=_("French authority"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisation",
    )
    countries = models.ManyToManyField(
        "atlas.Country", verbose_name=_("countries"), blank=True, related_name="+"
    )
    departement = models.CharField(_("département"), max_length=3, choices=DEPARTEMENT_CHOICES, blank=True)
    region = models.CharField(_("région"), max_length=3, choices=REGION_CHOICES, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="local_authority") | Q(authority__isnull=False),
                name="local_authority_organisation_has_its_authority",
            ),
        ]

    def __str__(self):
        return self.name


class MembershipQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Membership.Status.APPROVED)

    def pending(self):
        return self.filter(status=Membership.Status.PENDING)


class Membership(models.Model):
    """A member's request to act for an organisation; it counts once approved, never by its own author."""

    class Role(models.TextChoices):
        AGENT = "agent", _("agent")
        MANAGER = "manager", _("manager")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.AGENT)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    message = models.TextField(_("message"), blank=True, max_length=1000)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_organisation")
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation}"


from .personal import Album, ExportMailing, SavedExport, SavedMap  # noqa: E402,F401
