from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from portal.core.collation import FRENCH

# The themes the platform starts with (data migration 0003, and the demo after a test database is flushed).
DEFAULT_THEMES = [
    ("Tourisme solidaire", "tourisme-solidaire"),
    ("Écotourisme", "ecotourisme"),
    ("Patrimoine", "patrimoine"),
    ("Tourisme rural", "tourisme-rural"),
    ("Échanges de jeunes", "echanges-de-jeunes"),
]


def ensure_default_themes(model):
    """Idempotent; takes the model so that the migration can pass its historical one."""
    for name, slug in DEFAULT_THEMES:
        model.objects.get_or_create(slug=slug, defaults={"name": name})


class TourismTheme(models.Model):
    """A theme of responsible tourism. The first five come with a data migration; editors add others."""

    name = models.CharField(_("name"), max_length=100, unique=True, db_collation=FRENCH)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, blank=True)

    class Meta:
        verbose_name = _("tourism theme")
        verbose_name_plural = _("tourism themes")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.slug = self.slug or slugify(self.name)
        super().save(*args, **kwargs)
