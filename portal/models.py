from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="cog")
class PortalSettings(BaseSiteSetting):
    """Portal-wide options that editors change without a deployment."""

    class Compliance(models.TextChoices):
        NONE = "none", _("non-compliant")
        PARTIAL = "partial", _("partially compliant")
        FULL = "full", _("fully compliant")

    site_title = models.CharField(_("site title"), max_length=120, default="Coopération décentralisée")
    site_tagline = models.CharField(
        _("tagline"),
        max_length=200,
        blank=True,
        default="L’action internationale des collectivités territoriales françaises",
    )
    ministry_block = models.CharField(
        _("ministry block"),
        max_length=200,
        default="Ministère\nde l’Europe\net des Affaires\nétrangères",
        help_text=_("Shown in the header logo block; one line per line break."),
    )
    footer_description = models.TextField(
        _("footer description"),
        blank=True,
        default="Portail de la Délégation pour l’action extérieure des collectivités territoriales (DAECT).",
    )
    accessibility_compliance = models.CharField(
        _("accessibility compliance"), max_length=10, choices=Compliance.choices, default=Compliance.PARTIAL
    )
    legal_notice_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("legal notice page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("accessibility statement page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    personal_data_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("personal data page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    map_tile_url = models.CharField(
        _("map tile layer URL"),
        max_length=300,
        blank=True,
        help_text=_(
            "Optional, for example https://tiles.example.org/{z}/{x}/{y}.png. "
            "Empty: maps use the portal's own vector basemap only."
        ),
    )
    map_tile_attribution = models.CharField(_("map tile attribution"), max_length=300, blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("site_title"), FieldPanel("site_tagline"), FieldPanel("ministry_block")],
            heading=_("Header"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("footer_description"),
                FieldPanel("accessibility_compliance"),
                FieldPanel("legal_notice_page"),
                FieldPanel("accessibility_page"),
                FieldPanel("personal_data_page"),
            ],
            heading=_("Footer"),
        ),
        MultiFieldPanel([FieldPanel("map_tile_url"), FieldPanel("map_tile_attribution")], heading=_("Maps")),
    ]

    class Meta:
        verbose_name = _("portal settings")


class CacheVersion(models.Model):
    """The version of one family of cached data (e.g. "atlas"), read and bumped by core/cache_versions.py.

    It lives in the database, not in the cache, so that every process sees a change at the moment the
    change's transaction commits: a per-process cache (LocMemCache, a module dict) stays correct with any
    number of workers, and a shared cache (Redis) only saves work."""

    name = models.CharField(max_length=40, primary_key=True)
    # How many changes so far, bumped by an atomic UPDATE ... SET value = value + 1.
    value = models.BigIntegerField(default=0)
    # A random stamp written with each bump: a version number that a rolled-back transaction used (and may
    # have cached data under), or that a restored backup brings back, never names other data.
    stamp = models.CharField(max_length=16, blank=True)

    def __str__(self):
        return f"{self.name} {self.value}.{self.stamp}"
