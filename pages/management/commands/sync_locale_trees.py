from django.core.management.base import BaseCommand

from pages.translation import synchronise_trees


class Command(BaseCommand):
    help = (
        "Brings every language's page tree in step with the French one (aliases of the pages not yet "
        "translated), with the translators' rights and the editorial workflow. Safe to run again."
    )

    def handle(self, *args, **options):
        synchronise_trees()
        self.stdout.write(self.style.SUCCESS("Arborescences synchronisées."))
