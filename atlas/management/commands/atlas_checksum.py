import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from atlas import backup


class Command(BaseCommand):
    help = _(
        "Prints the number of records and a checksum of every record's canonical serialisation, per model "
        "of the Atlas export: two databases holding the same Atlas print the same lines."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", dest="as_json", help=_("Print JSON."))

    def handle(self, *args, as_json, **options):
        sums = backup.checksums()
        total = backup.total_checksum(sums)
        if as_json:
            self.stdout.write(json.dumps({"models": sums, "total": total}, indent=1, sort_keys=True))
            return
        for label, (count, checksum) in sums.items():
            self.stdout.write(f"{label:<28} {count:>8}  {checksum}")
        self.stdout.write(f"{'total':<28} {sum(c for c, _s in sums.values()):>8}  {total}")
