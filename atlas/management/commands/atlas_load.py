import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from atlas import backup


class Command(BaseCommand):
    help = _(
        "Loads an Atlas export written by atlas_dump into an empty Atlas (or replaces the Atlas with "
        "--replace), in one transaction: a damaged file or a failed load changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("The file written by atlas_dump."))
        parser.add_argument(
            "--replace", action="store_true", help=_("Replace the Atlas records that the database holds.")
        )
        parser.add_argument(
            "--allow-missing",
            action="store_true",
            help=_("Leave empty the references to accounts or images that this database does not have."),
        )
        parser.add_argument(
            "--no-index", action="store_true", help=_("Do not rebuild the search index afterwards.")
        )

    def handle(self, *args, file, replace, allow_missing, no_index, **options):
        started = time.monotonic()
        loader = backup.Loader(file)
        try:
            expected, loaded = loader.load(replace=replace, allow_missing=allow_missing)
        except backup.BackupError as error:
            raise CommandError(_("Nothing was loaded: %(error)s") % {"error": error}) from error
        for label, (count, checksum) in loaded.items():
            same = "=" if expected[label] == loaded[label] else "≠"
            self.stdout.write(f"{label:<28} {count:>8}  {checksum} {same}")
        for label, count in sorted(loader.missing.items()):
            self.stdout.write(
                self.style.WARNING(
                    _("%(count)d references to %(model)s records absent from this database were left empty.")
                    % {"count": count, "model": label}
                )
            )
        if loader.renumbered:
            self.stdout.write(
                self.style.WARNING(
                    _("%(count)d records kept the id their natural key already had in this database.")
                    % {"count": loader.renumbered}
                )
            )
        if not no_index:
            # The rows were written without the signals that index records for the site search.
            call_command("update_index", verbosity=0)
        self.stdout.write(
            self.style.SUCCESS(
                _("%(count)d records loaded in %(seconds).1f s.")
                % {
                    "count": sum(count for count, _checksum in loaded.values()),
                    "seconds": time.monotonic() - started,
                }
            )
        )
