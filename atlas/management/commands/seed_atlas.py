import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from atlas import seeding
from atlas.models import Authority

INDEX_CHUNK = 3000


class Command(BaseCommand):
    help = _("Builds a deterministic Atlas: the 2012 scale (full), ten times it (x10) or a small one (demo).")

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(seeding.SCALES), default="demo")
        parser.add_argument("--reset", action="store_true", help=_("Delete the Atlas records first."))

    def handle(self, *args, scale, reset, **options):
        counts = seeding.SCALES[scale]
        started = time.monotonic()
        existing = Authority.objects.count()
        if existing and not reset:
            # Never replace records silently: they may be real ones. --reset says so explicitly.
            self.stdout.write(
                _("The Atlas already has %(count)d French authorities: nothing to do (--reset rebuilds it).")
                % {"count": existing}
            )
            return
        if reset:
            self.stdout.write(_("Deleting the existing Atlas records…"))
            kept = seeding.reset()
            if kept:
                self.stdout.write(
                    _("%(count)d records other content points to are kept and reused.") % {"count": kept}
                )
        seeding.seed(counts, log=self.stdout.write)
        # Bulk inserts bypass the signals that index records for the site search. The database backend
        # recomputes its title norms over the whole index after each chunk: larger chunks than its 1,000
        # make the x10 index several times faster (3,000 rows stay below PostgreSQL's 65,535 parameters).
        call_command("update_index", verbosity=0, chunk_size=INDEX_CHUNK)
        self.stdout.write(
            self.style.SUCCESS(
                _("Atlas built at the %(scale)s scale in %(seconds).1f s.")
                % {"scale": scale, "seconds": time.monotonic() - started}
            )
        )
