from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from .core.collation import register_sqlite_collation, register_sqlite_unaccent

        # Every connection, including the test database's and the migrations', knows the "french" collation.
        connection_created.connect(register_sqlite_collation, dispatch_uid="portal-french-collation")
        # ... and UNACCENT(), as PostgreSQL's extension: the admin choosers search without accents.
        connection_created.connect(register_sqlite_unaccent, dispatch_uid="portal-sqlite-unaccent")

        from .core.input_guards import register_range_lookups, tolerate_forged_chooser_ids

        # A number beyond the database's integer range in an address or a form matches no row (a 404 or a form
        # error), on every relation too, instead of a database error; a forged id in an admin chooser is
        # shown as no choice.
        register_range_lookups()
        tolerate_forged_chooser_ids()

        from .core.csp import forget_tile_sources
        from .models import PortalSettings

        # A new map tile server in the site settings is admitted by the Content-Security-Policy at once.
        post_save.connect(forget_tile_sources, sender=PortalSettings, dispatch_uid="portal-csp-tiles")
        post_delete.connect(forget_tile_sources, sender=PortalSettings, dispatch_uid="portal-csp-tiles-gone")
