from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from .collation import register_sqlite_collation

        # Every connection, including the test database's and the migrations', knows the "french" collation.
        connection_created.connect(register_sqlite_collation, dispatch_uid="portal-french-collation")
