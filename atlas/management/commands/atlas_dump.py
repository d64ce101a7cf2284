import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from atlas import backup


class Command(BaseCommand):
    help = _(
        "Writes the whole Atlas to a file (gzip JSON Lines, versioned, with a checksum per model) that "
        "atlas_load reads back."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("The file to write, e.g. atlas.jsonl.gz."))

    def handle(self, *args, file, **options):
        started = time.monotonic()
        path = Path(file)
        if not path.parent.is_dir():
            raise CommandError(_("The folder %(folder)s does not exist.") % {"folder": path.parent})
        # Written beside the target, then renamed: an interrupted dump never leaves a half file under the
        # name of a good one.
        partial = path.with_name(path.name + ".partial")
        try:
            sums = backup.dump(partial)
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
        for label, (count, checksum) in sums.items():
            self.stdout.write(f"{label:<28} {count:>8}  {checksum}")
        self.stdout.write(
            self.style.SUCCESS(
                _("%(count)d records written to %(file)s (%(size)d kB) in %(seconds).1f s.")
                % {
                    "count": sum(count for count, _checksum in sums.values()),
                    "file": path,
                    "size": path.stat().st_size // 1024,
                    "seconds": time.monotonic() - started,
                }
            )
        )
