import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from atlas import search_index, seeding
from atlas.models import Authority


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
        # Bulk inserts bypass the signals that index records for the site search: the index is rebuilt,
        # the Atlas' records in bulk SQL on PostgreSQL (see atlas.search_index).
        indexing = time.monotonic()
        search_index.rebuild()
        # Fresh statistics for the planner: until autovacuum gets to the new rows, PostgreSQL would plan the
        # first searches on the tables' sizes before the seed.
        seeding.analyze()
        self.stdout.write(
            _("Search index rebuilt in %(seconds).1f s.") % {"seconds": time.monotonic() - indexing}
        )
        self.stdout.write(
            self.style.SUCCESS(
                _("Atlas built at the %(scale)s scale in %(seconds).1f s.")
                % {"scale": scale, "seconds": time.monotonic() - started}
            )
        )
